// A Handset SIP stack on real loopback sockets, in this process, with one registration and its
// events recorded; and the path of the compiled CLI for tests that spawn `handset`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNetTransport, type NetTransport, type TransportKind } from '../../../src/net/index.js';
import { parseUri, Registration, SipStack, StreamFramer, type AccountConfig, type RegistrationEvent, type RegistrationOptions, type SipUri } from '../../../src/sip/index.js';
import { SystemClock } from '../../../src/util/index.js';

export const sipUri = (s: string): SipUri => {
  const r = parseUri(s);
  if (!r.ok) throw new Error(`${s}: ${r.error}`);
  return r.value as SipUri;
};

/** `node <this>` runs the `handset` CLI of the same build as this test. */
export const handsetMain = join(dirname(fileURLToPath(import.meta.url)), '../../../src/app/main.js');

export interface HandsetUnderTest {
  transport: NetTransport;
  stack: SipStack;
  udpPort: number;
  tcpPort: number;
  events: Array<RegistrationEvent & { atMs: number }>;
  register(account: Partial<AccountConfig> & Pick<AccountConfig, 'aor' | 'password'>, options?: Partial<RegistrationOptions>): Registration;
  /** Resolves with the first event matching `pred` after `from` events (rejects after `ms`). */
  waitFor(pred: (e: RegistrationEvent) => boolean, ms?: number, from?: number): Promise<RegistrationEvent & { atMs: number }>;
  close(): Promise<void>;
}

export async function startHandset(listen: TransportKind[] = ['udp', 'tcp']): Promise<HandsetUnderTest> {
  const clock = new SystemClock();
  const transport = createNetTransport({ framer: () => new StreamFramer(), clock });
  const stack = new SipStack({ transport, clock, userAgent: 'Handset/interop' });
  const ports: Record<string, number> = {};
  for (const kind of listen) {
    const r = await stack.listen({ transport: kind, address: '127.0.0.1', port: kind === 'tcp' && ports['udp'] ? ports['udp'] : 0 });
    if (!r.ok) {
      // The UDP port may be taken for TCP: any free one will do.
      const again = await stack.listen({ transport: kind, address: '127.0.0.1', port: 0 });
      if (!again.ok) throw new Error(`listen ${kind}: ${again.error.message}`);
      ports[kind] = again.value.port;
    } else ports[kind] = r.value.port;
  }
  const events: HandsetUnderTest['events'] = [];
  const waiters = new Set<() => void>();
  const registrations: Registration[] = [];
  return {
    transport,
    stack,
    udpPort: ports['udp'] ?? 0,
    tcpPort: ports['tcp'] ?? 0,
    events,
    register(account, options = {}) {
      const r = new Registration({ stack, account, ...options });
      r.onEvent((e) => {
        events.push({ ...e, atMs: Date.now() });
        for (const w of [...waiters]) w();
      });
      registrations.push(r);
      r.start();
      return r;
    },
    waitFor(pred, ms = 10_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const hit = events.slice(from).find(pred);
          if (hit === undefined) return false;
          clearTimeout(timer);
          waiters.delete(onEvent);
          resolve(hit);
          return true;
        };
        const onEvent = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(onEvent);
          reject(new Error(`no matching registration event in ${ms} ms; events: ${JSON.stringify(events)}`));
        }, ms);
        if (!check()) waiters.add(onEvent);
      });
    },
    async close() {
      await Promise.all(registrations.map((r) => r.stop()));
      stack.close();
      await transport.close();
    },
  };
}
