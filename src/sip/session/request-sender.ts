// Sending the session's requests through the SipStack: next-hop location, the request as the
// stack takes it (without Via), digest retries (RFC 3261 §22.2: a new CSeq, same Call-ID), and
// requests sent outside transactions (ACK for 2xx, §13.2.2.4), CANCEL through the stack (§9.1).
import { err, ok, type Clock, type Result } from '../../util/index.js';
import { netError, resolveSipTargets, systemResolver, type Destination, type NetError, type TransportKind } from '../../net/index.js';
import { isSipUri, serializeMessage, uriParam, type HeaderLines, type SipMessage, type Uri } from '../message/index.js';
import { formatVia, newBranch } from '../transport/index.js';
import { digestChallengesOf, digestRequestOf, type DigestAttempt, type DigestClient } from '../auth/index.js';
import { defaultTimerConfig, type TimerConfig } from '../transaction/index.js';
import { targetQuery, type ClientFailure, type ClientRequest, type OutgoingRequest, type SipStack } from '../ua/index.js';

/** Where a request for `uri` goes (RFC 3263 §4): the targets in the order to try them. */
export type Locate = (uri: Uri) => Promise<Result<Destination[], NetError>>;

/** Numeric hosts directly; names through RFC 3263 with the system resolver. */
export const defaultLocate: Locate = async (uri) => {
  if (!isSipUri(uri)) return err(netError('not-supported', `cannot send to a ${uri.scheme} URI`));
  const t = uriParam(uri, 'transport');
  const transport = typeof t === 'string' && ['udp', 'tcp', 'tls', 'ws', 'wss'].includes(t.toLowerCase()) ? (t.toLowerCase() as Destination['transport']) : undefined;
  if (uri.hostKind !== 'domain') {
    const kind = transport ?? (uri.scheme === 'sips' ? 'tls' : 'udp');
    const host = uri.host.startsWith('[') ? uri.host.slice(1, -1) : uri.host;
    return ok([{ transport: kind, host, port: uri.port ?? (kind === 'tls' || kind === 'wss' ? 5061 : 5060) }]);
  }
  const r = await resolveSipTargets(targetQuery(uri, transport), systemResolver());
  if (!r.ok) return r;
  if (r.value.length === 0) return err(netError('dns-failed', `no SIP target for ${uri.host}`));
  return ok(r.value.map((x) => ({ transport: x.transport, host: x.address, port: x.port, hostname: uri.host })));
};

/** Builds a request with the authorization lines to add, for the transport it goes on. */
export type Build = (auth: HeaderLines, kind: TransportKind) => SipMessage;

/** A built request as the stack sends it: the stack adds the top Via. */
export function toOutgoing(request: SipMessage, extra: HeaderLines = []): OutgoingRequest {
  const headers: Array<readonly [string, string]> = [];
  for (const f of request.headerList()) if (f.name.toLowerCase() !== 'via' && f.name.toLowerCase() !== 'v') headers.push([f.name, f.value]);
  headers.push(...extra);
  const out: OutgoingRequest = { method: request.method, uri: request.requestUriText, headers };
  if (request.body.length > 0) out.body = request.body;
  return out;
}

export interface SendCallbacks {
  response(response: SipMessage, sent: ClientRequest): void;
  /** No final response (timeout, transport error, unresolvable target). */
  failed(reason: 'timeout' | 'unreachable', detail: string): void;
}

interface Attempt {
  targets: Destination[];
  index: number;
  build: Build;
  cb: SendCallbacks;
  onSent: ((sent: ClientRequest) => void) | undefined;
}

export interface RequestSenderOptions {
  stack: SipStack;
  locate: Locate;
  digest: DigestClient | undefined;
  timers: TimerConfig | undefined;
}

/** Sends requests for the sessions of one agent. */
export class RequestSender {
  readonly timers: TimerConfig;
  constructor(private readonly o: RequestSenderOptions) {
    this.timers = o.timers ?? defaultTimerConfig;
  }

  get clock(): Clock {
    return this.o.stack.clock;
  }

  /**
   * Sends the request `build` makes; on 401/407 builds it again (new CSeq) with credentials
   * (§22.2). RFC 3263 §4.3: a timeout or transport error with no response, or a 503, moves on
   * to the next target (a fresh request). `onSent` sees every attempt.
   */
  send(nextHop: Uri, build: Build, cb: SendCallbacks, onSent?: (sent: ClientRequest) => void): void {
    void this.o.locate(nextHop).then((targets) => {
      if (!targets.ok) return cb.failed('unreachable', targets.error.message);
      this.attempt({ targets: targets.value, index: 0, build, cb, onSent }, [], undefined);
    });
  }

  private attempt(a: Attempt, auth: HeaderLines, previous: DigestAttempt | undefined): void {
    const dest = a.targets[a.index];
    if (dest === undefined) return a.cb.failed('unreachable', 'no target left');
    // The dialog may have ended while the target was located.
    let request: SipMessage;
    try {
      request = a.build(auth, dest.transport);
    } catch (e) {
      return a.cb.failed('unreachable', String(e));
    }
    const next = (): boolean => {
      if (a.index + 1 >= a.targets.length) return false;
      this.attempt({ ...a, index: a.index + 1 }, auth, previous);
      return true;
    };
    let answered = false;
    const sent = this.o.stack.sendRequest(toOutgoing(request), { ...dest }, {
      response: (res) => {
        answered = true;
        if (res.status === 503 && next()) return;
        if ((res.status === 401 || res.status === 407) && this.o.digest !== undefined) {
          const answer = this.o.digest.answer(digestChallengesOf(res), digestRequestOf(sent.request), previous);
          if (answer.ok) return this.attempt(a, answer.value.headers.map((h) => [h.name, h.value] as const), answer.value.attempt);
        }
        a.cb.response(res, sent);
      },
      failed: (f: ClientFailure) => {
        if (!answered && next()) return;
        a.cb.failed(f.kind === 'timeout' ? 'timeout' : 'unreachable', f.kind === 'timeout' ? 'no response' : (f.error?.message ?? 'transport error'));
      },
    });
    a.onSent?.(sent);
  }

  /** Sends a request outside any transaction (ACK for a 2xx). Resolves to what was sent, for resending. */
  async sendStateless(nextHop: Uri, build: (via: string, kind: TransportKind) => SipMessage): Promise<{ message: SipMessage; destination: Destination } | undefined> {
    const targets = await this.o.locate(nextHop);
    const dest = targets.ok ? targets.value[0] : undefined;
    return dest === undefined ? undefined : this.sendStatelessTo(dest, build);
  }

  /** `sendStateless` to a destination already located (it leaves before this returns). */
  sendStatelessTo(dest: Destination, build: (via: string, kind: TransportKind) => SipMessage): { message: SipMessage; destination: Destination } | undefined {
    const local = this.o.stack.localAddress(dest.transport);
    let message: SipMessage;
    try {
      message = build(formatVia({ transport: dest.transport, host: local.host, port: local.port, branch: newBranch() }), dest.transport);
    } catch {
      return undefined; // the dialog ended meanwhile
    }
    this.resend(message, dest);
    return { message, destination: dest };
  }

  resend(message: SipMessage, destination: Destination): void {
    void this.o.stack.transport.send(destination, serializeMessage(message));
  }

  /**
   * §9.1: CANCELs a pending INVITE through the stack (its own non-INVITE client transaction,
   * the INVITE's top Via, Route set and flow). The answer to the CANCEL itself needs no handling:
   * the INVITE's final response (487, or a 2xx that crossed it) tells how the call ended.
   */
  sendCancel(invite: ClientRequest): void {
    this.o.stack.sendCancel(invite, { response: () => undefined, failed: () => undefined });
  }
}
