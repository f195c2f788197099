// The page's settings on a running Phone: codec order and SRTP act on the next call's offer
// (the phone reads its media options per call), transport needs a new registration (the
// account's proxy URI with the chosen ;transport=), which the engine does by replacing the phone.
import { pcmaCodec, pcmuCodec, type AudioCodec } from '../codecs/index.js';
import type { AccountSettings, Phone } from '../phone/index.js';
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
 * The account registering over `transport` instead, or undefined when the phone has no
 * registering account or already uses it. The registrar is the proxy (else the AOR's domain)
 * with `;transport=` set; UDP drops the parameter.
 */
export function accountOverTransport(phone: Phone, transport: HandsetSettings['transport']): AccountSettings | undefined {
  const a = phone.account;
  if (a === undefined || a.settings.password === undefined || (a.transport ?? 'udp') === transport) return undefined;
  const base = (a.settings.proxy ?? `sip:${a.aor.host}${a.aor.port !== undefined ? `:${a.aor.port}` : ''}`).replace(/;transport=[a-z]+/i, '');
  return { ...a.settings, proxy: transport === 'udp' ? base : `${base};transport=${transport}` };
}
