// The page's settings on a running Phone: codec order and SRTP act on the next call's offer
// (the phone reads its media options per call); a transport is the account's proxy URI with
// `;transport=` set, registered anew by re-adding the account (phone-engine-accounts.ts); TCP
// needs a listener, opened on the running phone when it has none.
import { pcmaCodec, pcmuCodec, type AudioCodec } from '../codecs/index.js';
import type { Account, AccountSettings, Phone } from '../phone/index.js';
import { isSipUri, parseUri } from '../sip/index.js';
import type { HandsetSettings } from '../ui/index.js';

/** The voice codecs this build has, by the names the settings use. */
const VOICE_CODECS: Readonly<Record<string, AudioCodec>> = { PCMU: pcmuCodec, PCMA: pcmaCodec };

/** What the phone does today, as settings (the page starts from the phone's own options). */
export function settingsOfPhone(phone: Phone): Pick<HandsetSettings, 'codecOrder' | 'srtp' | 'transport'> {
  const m = phone.options.media;
  return {
    codecOrder: m.codecs.filter((c) => VOICE_CODECS[c.name] === c).map((c) => c.name),
    srtp: m.srtp ?? 'off',
    transport: phone.account?.transport ?? 'udp',
  };
}

/**
 * Codec order and SRTP for the next offer and answer. Names this build has no codec for are
 * skipped (a list of only those leaves the codecs as they are); comfort noise stays listed last.
 */
export function applyMediaSettings(phone: Phone, s: Pick<HandsetSettings, 'codecOrder' | 'srtp'>): void {
  const m = phone.options.media;
  const voice = s.codecOrder.map((n) => VOICE_CODECS[n]).filter((c): c is AudioCodec => c !== undefined);
  if (voice.length > 0) m.codecs = [...voice, ...m.codecs.filter((c) => c.name === 'CN')];
  m.srtp = s.srtp;
}

/**
 * `settings` registering over `transport`: the registrar is the proxy (else the AOR's domain)
 * with `;transport=` set; UDP drops the parameter (and a proxy made up from the domain).
 */
export function withTransport(settings: AccountSettings, transport: HandsetSettings['transport']): AccountSettings {
  const { proxy: _old, ...rest } = settings;
  const aor = parseUri(settings.aor);
  const host = aor.ok && isSipUri(aor.value) ? `${aor.value.host}${aor.value.port !== undefined ? `:${aor.value.port}` : ''}` : '';
  const given = settings.proxy?.replace(/;transport=[a-z]+/i, '');
  if (transport === 'udp') return given === undefined ? rest : { ...rest, proxy: given };
  return { ...rest, proxy: `${given ?? `sip:${host}`};transport=${transport}` };
}

/**
 * The default account registering over `transport` instead, or undefined when the phone has
 * no registering account or it already uses that transport.
 */
export function accountOverTransport(phone: Phone, transport: HandsetSettings['transport']): { account: Account; settings: AccountSettings } | undefined {
  const a = phone.account;
  if (a === undefined || a.settings.password === undefined || (a.transport ?? 'udp') === transport) return undefined;
  return { account: a, settings: withTransport(a.settings, transport) };
}

/**
 * Opens what an account over `transport` needs on a running phone: a TCP listener (on the UDP
 * listener's address, its port number when free) when there is none. UDP is always open;
 * TLS and WebSocket accounts connect out as clients. Resolves to an error text, or undefined.
 */
export async function ensureListener(phone: Phone, transport: string): Promise<string | undefined> {
  if (transport !== 'tcp') return undefined;
  const stack = phone.options.stack;
  const listeners = stack.transport.listeners();
  if (listeners.some((l) => l.transport === 'tcp')) return undefined;
  const udp = listeners.find((l) => l.transport === 'udp');
  const address = udp?.address ?? phone.options.media.address;
  let r = await stack.listen({ transport: 'tcp', address, port: udp?.port ?? 0 });
  if (!r.ok && udp !== undefined) r = await stack.listen({ transport: 'tcp', address, port: 0 });
  return r.ok ? undefined : `cannot listen on TCP at ${address}: ${r.error.message}`;
}
