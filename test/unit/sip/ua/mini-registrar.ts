// A minimal registrar on the in-memory network: digest MD5 with qop=auth, Min-Expires, bindings,
// optional outbound and GRUU, and a per-request script to answer otherwise (503, ignore ...).
import { computeDigest } from '../../../../src/sip/auth/index.js';
import {
  HeaderId, createResponse, formatUri, parseMessage, serializeMessage, type HeaderLines, type SipMessage,
} from '../../../../src/sip/message/index.js';
import { responseDestination, stampReceived } from '../../../../src/sip/transport/index.js';
import type { Endpoint, TransportKind } from '../../../../src/net/index.js';
import type { MemoryNetwork, MemoryTransport } from './memory-network.js';

export type ScriptAnswer = 'ignore' | { status: number; reason?: string; headers?: HeaderLines } | undefined;

export interface MiniRegistrarOptions {
  host?: string;
  port?: number;
  transports?: TransportKind[];
  realm?: string;
  users?: Record<string, string>;
  minExpires?: number;
  maxExpires?: number;
  outbound?: boolean;
  gruu?: boolean;
  /** Consulted first for every REGISTER (n counts from 1); undefined = normal handling. */
  script?: (req: SipMessage, n: number) => ScriptAnswer;
}

export interface Received {
  at: number;
  request: SipMessage;
  source: Endpoint;
}

export class MiniRegistrar {
  readonly host: string;
  readonly port: number;
  readonly transport: MemoryTransport;
  readonly received: Received[] = [];
  readonly bindings = new Map<string, { contact: string; expiresAt: number }>();
  down = false;
  private nonceCount = 0;
  constructor(private readonly net: MemoryNetwork, private readonly o: MiniRegistrarOptions = {}) {
    this.host = o.host ?? '192.0.2.10';
    this.port = o.port ?? 5060;
    this.transport = net.transport();
  }

  async start(): Promise<void> {
    for (const t of this.o.transports ?? ['udp']) await this.transport.listen({ transport: t, address: this.host, port: this.port });
    this.transport.onEvent((e) => {
      if (e.kind !== 'message' || this.down) return;
      const r = parseMessage(e.bytes, { datagram: true });
      if (r.kind !== 'ok' || !r.message.isRequest) return;
      const req = r.message;
      stampReceived(req, e.source.address, e.source.port);
      this.received.push({ at: this.net.clock.now(), request: req, source: e.source });
      const answer = this.answer(req);
      if (answer === 'ignore') return;
      const res = createResponse(req, answer.status, answer.reason, { toTag: 'reg1', headers: answer.headers ?? [] });
      const arrival = e.connectionId === undefined
        ? { transport: e.source.transport, sourceAddress: e.source.address, sourcePort: e.source.port }
        : { transport: e.source.transport, sourceAddress: e.source.address, sourcePort: e.source.port, connectionId: e.connectionId };
      void this.transport.send(responseDestination(req.topVia!, arrival), serializeMessage(res));
    });
  }

  /** REGISTERs received so far. */
  get registers(): Received[] {
    return this.received.filter((r) => r.request.method === 'REGISTER');
  }

  private answer(req: SipMessage): Exclude<ScriptAnswer, undefined> {
    if (req.method !== 'REGISTER') return { status: 405 };
    const scripted = this.o.script?.(req, this.registers.length);
    if (scripted !== undefined) return scripted;
    const realm = this.o.realm ?? 'example.com';
    const users = this.o.users ?? { alice: 'secret' };
    const creds = req.get(HeaderId.Authorization)?.[0];
    const challenge = (): Exclude<ScriptAnswer, undefined | 'ignore'> => ({
      status: 401,
      headers: [['WWW-Authenticate', `Digest realm="${realm}", nonce="n${++this.nonceCount}", qop="auth", algorithm=MD5`]],
    });
    if (creds === undefined) return challenge();
    const p = creds.params;
    const user = p.get('username') ?? '';
    const password = users[user];
    if (password === undefined) return { status: 404, reason: 'Not Found' };
    const expected = computeDigest({
      algorithm: 'MD5', username: user, realm, password, method: 'REGISTER', uri: p.get('uri') ?? '', nonce: p.get('nonce') ?? '',
      qop: 'auth', nc: p.get('nc') ?? '', cnonce: p.get('cnonce') ?? '',
    }).response;
    if (expected !== p.get('response')) return challenge();
    const contact = req.get(HeaderId.Contact)?.contacts[0];
    const aor = formatUri(req.get(HeaderId.To)!.uri);
    const wanted = contact?.expires ?? req.get(HeaderId.Expires) ?? 3600;
    if (wanted === 0) {
      this.bindings.delete(aor);
      return { status: 200 };
    }
    const min = this.o.minExpires ?? 0;
    if (wanted < min) return { status: 423, headers: [['Min-Expires', String(min)]] };
    const granted = Math.min(wanted, this.o.maxExpires ?? 3600);
    this.bindings.set(aor, { contact: contact!.uriText, expiresAt: this.net.clock.now() + granted * 1000 });
    let c = `<${contact!.uriText}>;expires=${granted}`;
    if (contact?.instance !== undefined) c += `;+sip.instance="<${contact.instance.replace(/^<|>$/g, '')}>"`;
    if (this.o.gruu && contact?.instance !== undefined) {
      c += `;pub-gruu="${aor};gr=${contact.instance.replace(/^<|>$/g, '')}";temp-gruu="sip:tgruu.${this.nonceCount}@${realm};gr"`;
    }
    const headers: [string, string][] = [['Contact', c]];
    if (this.o.outbound && contact?.regId !== undefined) headers.push(['Require', 'outbound'], ['Flow-Timer', '30']);
    return { status: 200, headers };
  }
}
