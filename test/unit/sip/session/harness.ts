// Two (or more) Handset stacks with SessionAgents on the in-memory network, on a stepping
// manual clock, with every session event recorded.
import { SipStack, type UaCapabilities } from '../../../../src/sip/ua/index.js';
import { createResponse, parseMessage, serializeMessage, type HeaderLines, type SipMessage } from '../../../../src/sip/message/index.js';
import { SessionAgent, sessionCapabilities, type InviteSession, type OfferAnswerHooks, type SessionAgentOptions, type SessionBody, type SessionEvent, type IncomingCall } from '../../../../src/sip/session/index.js';
import { MemoryNetwork, SteppingClock, runFor, quiet } from '../ua/memory-network.js';

export { runFor, quiet };

export const sdp = (text: string): SessionBody => ({ contentType: 'application/sdp', body: Buffer.from(text) });

/** Hooks that answer "answer-to:<offer>" and offer "offer-from:<name>#n". */
export function fakeHooks(name: string, refuse = false): OfferAnswerHooks & { offers: number } {
  const h = {
    offers: 0,
    createOffer: (): SessionBody => sdp(`offer-from:${name}#${++h.offers}`),
    answerOffer: (offer: SessionBody): SessionBody | undefined => (refuse ? undefined : sdp(`answer-to:${offer.body.toString()}`)),
  };
  return h;
}

export interface Phone {
  name: string;
  host: string;
  stack: SipStack;
  agent: SessionAgent;
  /** Incoming calls in order. */
  incoming: IncomingCall[];
}

export interface World {
  net: MemoryNetwork;
  clock: SteppingClock;
  phone(name: string, host: string, options?: Partial<SessionAgentOptions> & { capabilities?: UaCapabilities; tcp?: boolean }): Promise<Phone>;
  run(ms: number): Promise<void>;
  /** Request/status lines of packets sent, `from host` prefixed, from index `since`. */
  wire(since?: number): string[];
}

export function world(): World {
  const clock = new SteppingClock(0);
  const net = new MemoryNetwork(clock);
  return {
    net,
    clock,
    async phone(name, host, options = {}) {
      const transport = net.transport();
      await transport.listen({ transport: 'udp', address: host, port: 5060 });
      const { capabilities, tcp, ...agentOptions } = options;
      if (tcp) await transport.listen({ transport: 'tcp', address: host, port: 5060 });
      const stack = new SipStack({ transport, clock, capabilities: capabilities ?? sessionCapabilities });
      const agent = new SessionAgent({ stack, identity: `<sip:${name}@${host}>`, contactUser: name, random: () => 0.5, ...agentOptions });
      const incoming: IncomingCall[] = [];
      agent.onIncoming((c) => incoming.push(c));
      return { name, host, stack, agent, incoming };
    },
    run: (ms) => runFor(net, ms),
    wire(since = 0) {
      return net.log.slice(since).map((p) => `${p.from.address} ${p.text.slice(0, p.text.indexOf('\r\n'))}`);
    },
  };
}

/** Records a session's events. */
export function record(session: InviteSession): SessionEvent[] {
  const events: SessionEvent[] = [];
  session.on((e) => events.push(e));
  return events;
}

/** Event names (session-timer notices left out). */
export const types = (events: SessionEvent[]): string[] => events.filter((e) => e.type !== 'session-timer').map((e) => (e.type === 'progress' ? `progress ${e.status}` : e.type === 'ended' ? `ended ${e.reason}` : e.type));

export function ended(events: SessionEvent[]): Extract<SessionEvent, { type: 'ended' }> | undefined {
  return events.find((e): e is Extract<SessionEvent, { type: 'ended' }> => e.type === 'ended');
}

/** Wire lines without the host, for compact assertions. */
export const lines = (w: string[]): string[] => w.map((l) => l.replace(/ sip:\S+ SIP\/2.0$/, '').replace(/^(\S+) SIP\/2.0 /, '$1 '));

/** The first event of a type. */
export function first<T extends SessionEvent['type']>(events: SessionEvent[], type: T): Extract<SessionEvent, { type: T }> | undefined {
  return events.find((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
}

/** A scripted peer: receives every message at host:5060 and answers as the test says. */
export interface RawPeer {
  received: SipMessage[];
  requests(method: string): SipMessage[];
  reply(request: SipMessage, status: number, o?: { toTag?: string; headers?: HeaderLines; body?: string; reason?: string }): void;
  send(text: string, to: { host: string; port?: number }): void;
}

export async function rawPeer(w: World, host: string): Promise<RawPeer> {
  const transport = w.net.transport();
  await transport.listen({ transport: 'udp', address: host, port: 5060 });
  const received: SipMessage[] = [];
  transport.onEvent((e) => {
    if (e.kind !== 'message') return;
    const r = parseMessage(e.bytes, { datagram: true });
    if (r.kind === 'ok') received.push(r.message);
  });
  const send = (bytes: Buffer, host2: string, port: number): void => void transport.send({ transport: 'udp', host: host2, port }, bytes);
  return {
    received,
    requests: (method) => received.filter((m) => m.isRequest && m.method === method),
    reply(request, status, o = {}) {
      const init: { toTag?: string; headers?: HeaderLines; body?: string } = { headers: o.headers ?? [] };
      if (o.toTag !== undefined) init.toTag = o.toTag;
      if (o.body !== undefined) init.body = o.body;
      const res = createResponse(request, status, o.reason, init);
      const via = request.topVia!;
      send(serializeMessage(res), via.host, via.port ?? 5060);
    },
    send(text, to) {
      send(Buffer.from(text), to.host, to.port ?? 5060);
    },
  };
}

/** Alice calls Bob (offer "offer-a"), Bob answers with his hooks; both sessions recorded. */
export async function establish(w: World, alice: Phone, bob: Phone, target = `sip:${bob.name}@${bob.host}`) {
  const call = alice.agent.call({ target, offer: sdp('offer-a'), hooks: fakeHooks(alice.name) });
  const a = record(call);
  await w.run(10);
  const inc = bob.incoming[bob.incoming.length - 1]!.session;
  inc.hooks = fakeHooks(bob.name);
  const b = record(inc);
  inc.accept();
  await w.run(10);
  if (call.state !== 'confirmed' || inc.state !== 'confirmed') throw new Error(`not established: ${call.state}/${inc.state}`);
  return { call, inc, a, b };
}

/** Seconds (from `t0`) at which packets whose first line starts with `prefix` went out. */
export const instants = (w: World, prefix: string, t0: number): number[] =>
  w.net.log.filter((p) => p.text.startsWith(prefix)).map((p) => (p.at - t0) / 1000);
