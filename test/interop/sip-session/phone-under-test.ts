// A Handset SIP stack with a SessionAgent on real loopback UDP, in this process.
import { createNetTransport, type NetTransport } from '../../../src/net/index.js';
import { SipStack, StreamFramer } from '../../../src/sip/index.js';
import { SessionAgent, sessionCapabilities, type InviteSession, type SessionBody, type SessionEvent, type SessionAgentOptions } from '../../../src/sip/session/index.js';
import { SystemClock } from '../../../src/util/index.js';

export const sdpBody = (port: number): SessionBody => ({
  contentType: 'application/sdp',
  body: Buffer.from(`v=0\r\no=handset 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n`),
});

export interface PhoneUnderTest {
  stack: SipStack;
  agent: SessionAgent;
  port: number;
  close(): Promise<void>;
}

export async function startPhone(options: Partial<SessionAgentOptions> = {}, kinds: Array<'udp' | 'tcp'> = ['udp']): Promise<PhoneUnderTest> {
  const clock = new SystemClock();
  const transport: NetTransport = createNetTransport({ framer: () => new StreamFramer(), clock });
  const stack = new SipStack({ transport, clock, capabilities: sessionCapabilities, userAgent: 'Handset/interop' });
  let port = 0;
  for (const kind of kinds) {
    const r = await stack.listen({ transport: kind, address: '127.0.0.1', port: 0 });
    if (!r.ok) throw new Error(`listen ${kind}: ${r.error.message}`);
    port ||= r.value.port;
  }
  const agent = new SessionAgent({ stack, identity: `<sip:handset@127.0.0.1:${port}>`, contactUser: 'handset', ...options });
  return {
    stack,
    agent,
    port,
    async close() {
      agent.close();
      stack.close();
      await transport.close();
    },
  };
}

/** Resolves with the first event of `type` (rejects after `ms`). */
export function nextEvent<T extends SessionEvent['type']>(session: InviteSession, type: T, ms = 10_000): Promise<Extract<SessionEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${type} event in ${ms} ms (state ${session.state})`));
    }, ms);
    const off = session.on((e) => {
      if (e.type !== type) return;
      clearTimeout(timer);
      off();
      resolve(e as Extract<SessionEvent, { type: T }>);
    });
  });
}
