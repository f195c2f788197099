// One Handset stack (and its registrations) on the in-memory network, with recorded events.
import { HeaderId, parseUri, type SipUri } from '../../../../src/sip/message/index.js';
import { Registration, SipStack, type AccountConfig, type RegistrationEvent, type RegistrationOptions } from '../../../../src/sip/ua/index.js';
import type { ServerTarget, TransportKind } from '../../../../src/net/index.js';
import { ok } from '../../../../src/util/index.js';
import { MemoryNetwork, SteppingClock } from './memory-network.js';
import { MiniRegistrar, type MiniRegistrarOptions } from './mini-registrar.js';

export const sip = (s: string): SipUri => {
  const r = parseUri(s);
  if (!r.ok) throw new Error(r.error);
  return r.value as SipUri;
};

export interface Setup {
  net: MemoryNetwork;
  stack: SipStack;
  registrar: MiniRegistrar;
  events: Array<RegistrationEvent & { at: number }>;
  register(account?: Partial<AccountConfig>, options?: Partial<RegistrationOptions>): Registration;
}

export async function setup(o: MiniRegistrarOptions & { targets?: ServerTarget[]; transport?: TransportKind } = {}): Promise<Setup> {
  const clock = new SteppingClock(0);
  const net = new MemoryNetwork(clock);
  const registrar = new MiniRegistrar(net, o);
  await registrar.start();
  const transport = net.transport();
  await transport.listen({ transport: 'udp', address: '192.0.2.1', port: 5060 });
  if (o.transport === 'tcp') await transport.listen({ transport: 'tcp', address: '192.0.2.1', port: 5060 });
  const stack = new SipStack({ transport, clock });
  const events: Setup['events'] = [];
  const kind = o.transport ?? 'udp';
  const targets = o.targets ?? [{ transport: kind, address: registrar.host, port: registrar.port, family: 'IPv4' as const }];
  return {
    net,
    stack,
    registrar,
    events,
    register(account = {}, options = {}) {
      const r = new Registration({
        stack,
        account: { aor: sip('sip:alice@example.com'), password: 'secret', ...account },
        locate: async () => ok(targets),
        random: () => 0,
        ...options,
      });
      r.onEvent((e) => events.push({ ...e, at: clock.now() }));
      r.start();
      return r;
    },
  };
}

/** Seconds at which REGISTERs reached the registrar. */
export const registerInstants = (s: Setup): number[] => s.registrar.registers.map((r) => r.at / 1000);

export const expiresOf = (s: Setup, i: number): string | undefined => s.registrar.registers[i]?.request.header(HeaderId.Expires);
