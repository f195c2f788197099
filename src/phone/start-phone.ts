// A Phone on real sockets and the system clock, for library users: one call gives a listening
// SIP stack (UDP, plus TCP when the proxy asks for it), G.711 media on UDP ports and the account.
import { createNetTransport, type TransportKind } from '../net/index.js';
import { SipStack, StreamFramer } from '../sip/index.js';
import { SystemClock } from '../util/index.js';
import { pcmaCodec, pcmuCodec, type AudioCodec } from '../codecs/index.js';
import { bindUdpPort } from '../media/index.js';
import type { SrtpPolicy } from '../sdp/index.js';
import { Phone, type PhoneOptions } from './phone.js';
import { sessionCapabilities } from './sip-api.js';
import type { AccountSettings } from './account.js';

export interface StartPhoneOptions extends Omit<PhoneOptions, 'stack' | 'clock' | 'media'> {
  /** Local address to bind and advertise (default 127.0.0.1) and SIP port (default 0: any free one). */
  host?: string;
  port?: number;
  account?: AccountSettings;
  codecs?: readonly AudioCodec[];
  srtp?: SrtpPolicy;
  userAgent?: string;
}

/** Starts a phone (registering every account that has a password); `phone.close()` stops it. */
export async function startPhone(o: StartPhoneOptions = {}): Promise<Phone> {
  const host = o.host ?? '127.0.0.1';
  const clock = new SystemClock();
  const transport = createNetTransport({ framer: () => new StreamFramer(), clock });
  const stack = new SipStack({ transport, clock, capabilities: sessionCapabilities, userAgent: o.userAgent ?? 'Handset/0.1.0' });
  const proxies = [o.account, ...(o.accounts ?? [])].map((a) => a?.proxy ?? '');
  const kinds: TransportKind[] = proxies.some((p) => /;transport=tcp/i.test(p)) ? ['udp', 'tcp'] : ['udp'];
  for (const k of kinds) {
    const r = await stack.listen({ transport: k, address: host, port: o.port ?? 0 });
    if (!r.ok) {
      await transport.close();
      throw new Error(`cannot listen on ${host}:${o.port ?? 0} (${k}): ${r.error.message}`);
    }
  }
  const { host: _h, port: _p, codecs, srtp, userAgent: _u, ...rest } = o;
  const media: PhoneOptions['media'] = { address: host, codecs: codecs ?? [pcmuCodec, pcmaCodec], srtp: srtp ?? 'off', bindPort: (a) => bindUdpPort(a) };
  const phone = new Phone({ ...rest, stack, clock, media });
  phone.once('closed', () => {
    stack.close();
    void transport.close();
  });
  phone.start();
  return phone;
}
