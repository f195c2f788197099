// Keeping one account registered (RFC 3261 §10.2): REGISTER, refresh before expiry, 423
// Min-Expires, digest challenges, 403/404 stop, 503 Retry-After, RFC 3263 failover, RFC 5626
// back-off, outbound keep-alives and flow recovery, GRUU, and unregistering on shutdown.
import { randomToken, type Result, type TimerHandle } from '../../util/index.js';
import {
  resolveSipTargets, systemResolver, TargetList, type Destination, type KeepAliveHandle, type NetError, type NetErrorCode, type ServerTarget, type SipTargetQuery,
  type TransportEvent, type TransportKind,
} from '../../net/index.js';
import { HeaderId, formatUri, parseUri, withUriParam, type SipMessage, type SipUri, type Uri } from '../message/index.js';
import { DigestClient, type DigestAttempt } from '../auth/index.js';
import { bareHost } from '../transport/index.js';
import { backoffDelayMs, defaultBackoff, type BackoffConfig } from './backoff.js';
import { bindingFrom, contactUri, contactValue, newInstanceId, refreshDelayMs, refusalText, targetQuery, type AccountConfig, type BindingInfo } from './register-request.js';
import type { SipStack } from './sip-stack.js';
import type { ClientFailure, ClientRequest } from './stack-types.js';

export type RegistrationState = 'idle' | 'registering' | 'registered' | 'waiting' | 'failed' | 'unregistering' | 'unregistered';

export type RegistrationEvent =
  | { type: 'registered'; aor: string; contact: string; expires: number; transport: TransportKind; target: ServerTarget; refresh: boolean; outbound: boolean; pubGruu: string | undefined; tempGruu: string | undefined }
  /** `permanent`: no more attempts (403, 404, wrong password ...); else `retryInMs` says when the next one goes. */
  | { type: 'registration-failed'; aor: string; status: number | undefined; reason: string; permanent: boolean; retryInMs: number | undefined; cause?: NetErrorCode }
  | { type: 'unregistered'; aor: string; ok: boolean; reason: string | undefined };

export interface RegistrationOptions {
  stack: SipStack;
  account: AccountConfig;
  /** RFC 3263 location of the proxy (tests inject a table). */
  locate?: (query: SipTargetQuery) => Promise<Result<ServerTarget[], NetError>>;
  /** [0, 1) source for the back-off draw and keep-alive jitter. */
  random?: () => number;
  backoff?: BackoffConfig;
  /** Keep-alive interval on an outbound flow when the registrar sends no Flow-Timer (RFC 5626 §4.4.1: 95–120 s). */
  keepAliveIntervalMs?: number;
  /** Longest wait for the un-REGISTER's answer on shutdown. Default 5 s. */
  unregisterTimeoutMs?: number;
}

export class Registration {
  state: RegistrationState = 'idle';
  /** The binding while registered. */
  binding: (BindingInfo & { contact: string; target: ServerTarget; connectionId: string | undefined }) | undefined;
  readonly aor: string;
  private readonly stack: SipStack;
  private readonly account: AccountConfig;
  private readonly digest: DigestClient;
  private readonly instanceId: string;
  private readonly callId = `${randomToken(20)}`;
  private readonly fromTag = randomToken(10);
  private readonly random: () => number;
  private readonly backoff: BackoffConfig;
  private readonly listeners = new Set<(e: RegistrationEvent) => void>();
  private cseq = 0;
  private expires: number;
  private targets: TargetList | undefined;
  private failures = 0;
  private attempt: DigestAttempt | undefined;
  private timer: TimerHandle | undefined;
  private inFlight: ClientRequest | undefined;
  private keepAlive: KeepAliveHandle | undefined;
  private contact: { uri: string; kind: TransportKind } | undefined;
  private stopWaiter: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: RegistrationOptions) {
    this.stack = options.stack;
    this.account = options.account;
    this.aor = formatUri(options.account.aor);
    this.expires = options.account.expires ?? 600;
    this.instanceId = options.account.instanceId ?? newInstanceId();
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? defaultBackoff;
    const username = options.account.username ?? options.account.aor.user ?? '';
    this.digest = new DigestClient({ credentials: { username, password: options.account.password }, realms: options.account.realms ?? [options.account.aor.host] });
    this.unsubscribe = this.stack.onTransport((e) => this.onTransport(e));
  }

  onEvent(listener: (e: RegistrationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts registering (and keeps the binding refreshed). */
  start(): void {
    if (this.state !== 'idle' && this.state !== 'unregistered' && this.state !== 'failed') return;
    this.failures = 0;
    void this.locateAndRegister();
  }

  /** Unregisters (when bound) and stops every timer; resolves when done. */
  async stop(): Promise<void> {
    this.clearTimer();
    const bound = this.binding !== undefined && this.targets?.current() !== undefined;
    // A first REGISTER still in flight may yet create a binding: its answer decides.
    const pending = !bound && this.inFlight !== undefined && this.targets?.current() !== undefined;
    this.stopKeepAlive();
    if (!bound && !pending) {
      this.finish('unregistered');
      return;
    }
    this.state = 'unregistering';
    this.attempt = undefined;
    await new Promise<void>((resolve) => {
      this.stopWaiter = resolve;
      this.timer = this.stack.clock.setTimer(this.options.unregisterTimeoutMs ?? 5000, () => this.unregistered(false, 'no answer to the un-REGISTER'));
      if (bound) this.sendRegister(0);
    });
  }

  private emit(e: RegistrationEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  private finish(state: 'unregistered' | 'failed'): void {
    this.state = state;
    this.binding = undefined;
    this.inFlight = undefined;
    this.clearTimer();
    this.stopKeepAlive();
    if (state === 'unregistered') this.unsubscribe();
  }

  private unregistered(ok: boolean, reason: string | undefined): void {
    if (this.state !== 'unregistering') return;
    this.finish('unregistered');
    this.emit({ type: 'unregistered', aor: this.aor, ok, reason });
    this.stopWaiter?.();
    this.stopWaiter = undefined;
  }

  private async locateAndRegister(): Promise<void> {
    this.state = this.binding ? 'registered' : 'registering';
    const proxy = this.account.proxy ?? this.account.registrar ?? this.defaultRegistrar();
    const locate = this.options.locate ?? ((q: SipTargetQuery) => resolveSipTargets(q, systemResolver(), this.account.transport ? { transports: [this.account.transport] } : {}));
    const r = await locate(targetQuery(proxy, this.account.transport));
    if ((this.state as RegistrationState) === 'unregistering' || (this.state as RegistrationState) === 'unregistered') return;
    if (!r.ok || r.value.length === 0) {
      this.retryLater(undefined, `cannot locate ${formatUri(proxy)}: ${r.ok ? 'no targets' : r.error.message}`);
      return;
    }
    this.targets = new TargetList(r.value);
    this.attempt = undefined;
    this.sendRegister(this.expires);
  }

  private defaultRegistrar(): SipUri {
    const a = this.account.aor;
    const u: SipUri = { scheme: a.scheme, host: a.host, hostKind: a.hostKind, params: [], headers: [] };
    if (a.port !== undefined) u.port = a.port;
    return u;
  }

  private destinationFor(t: ServerTarget): Destination {
    const proxy = this.account.proxy ?? this.account.registrar ?? this.defaultRegistrar();
    const d: Destination = { transport: t.transport, host: t.address, port: t.port, hostname: bareHost(proxy.host) };
    if (this.account.tls !== undefined) d.tls = this.account.tls;
    if (this.binding?.connectionId !== undefined && this.binding.target === t) d.connectionId = this.binding.connectionId;
    return d;
  }

  /** Sends a REGISTER for `expires` seconds (0 removes our binding) to the current target. */
  private sendRegister(expires: number, auth: ReadonlyArray<readonly [string, string]> = []): void {
    const target = this.targets?.current();
    if (target === undefined) return;
    const local = this.stack.localAddress(target.transport);
    const uri = this.contact?.kind === target.transport && expires === 0 ? this.contact.uri : contactUri(this.account.aor.user, local.host, local.port, target.transport);
    this.contact = { uri, kind: target.transport };
    const registrar = this.account.registrar ?? this.defaultRegistrar();
    const ruri = formatUri(registrar);
    const aor = `<${this.aor}>`;
    const headers: Array<readonly [string, string]> = [
      ['From', `${aor};tag=${this.fromTag}`],
      ['To', aor],
      ['Call-ID', this.callId],
      ['CSeq', `${++this.cseq} REGISTER`],
      ['Contact', contactValue(uri, this.instanceId, this.account.regId ?? 1, expires)],
      ['Expires', String(expires)],
      // RFC 5626 §4.2.1, RFC 5627 §4.1.
      ['Supported', 'outbound, gruu, path'],
      ['Allow', this.stack.capabilities.allow.join(', ')],
    ];
    // §8.1.2: an outbound proxy goes in Route as a loose router.
    const route = this.account.proxy !== undefined ? [['Route', `<${formatUri(withUriParam(this.account.proxy, 'lr', null))}>`] as const] : [];
    let authLines = auth;
    if (authLines.length === 0) {
      // Pre-emptive credentials with the nonce of the last challenge (nc counts on).
      for (const realm of this.digest.realms) {
        const h = this.digest.authorize({ method: 'REGISTER', uri: ruri }, realm);
        if (h !== undefined) authLines = [...authLines, [h.name, h.value]];
      }
    }
    const purposeExpires = expires;
    // The callbacks run later (the transport is asynchronous), after `sent` is assigned.
    this.inFlight = this.stack.sendRequest(
      { method: 'REGISTER', uri: ruri, headers: [...headers.slice(0, 4), ...route, ...headers.slice(4), ...authLines] },
      this.destinationFor(target),
      {
        response: (res) => this.onResponse(res, sent, purposeExpires),
        failed: (f) => this.onFailed(f, sent),
      },
    );
    const sent = this.inFlight;
  }

  private onResponse(res: SipMessage, sent: ClientRequest, expires: number): void {
    if (sent !== this.inFlight || res.status < 200) return;
    const unregistering = this.state === 'unregistering';
    const status = res.status;
    if (status >= 200 && status < 300) {
      // Stopped while the first REGISTER was out: it bound us, so remove that binding now.
      if (unregistering && expires > 0) return this.sendRegister(0);
      if (unregistering) return this.unregistered(true, undefined);
      return this.onRegistered(res, sent);
    }
    // Stopped before anything was bound: nothing to remove.
    if (unregistering && expires > 0) return this.unregistered(true, undefined);
    if (status === 401 || status === 407) {
      const answer = this.digest.answer(
        { wwwAuthenticate: res.get(HeaderId.WwwAuthenticate) ?? [], proxyAuthenticate: res.get(HeaderId.ProxyAuthenticate) ?? [] },
        { method: 'REGISTER', uri: sent.request.requestUriText },
        this.attempt,
      );
      if (!answer.ok) {
        if (unregistering) return this.unregistered(false, refusalText(answer.error));
        return this.fail(status, `${status} ${res.reason}: ${refusalText(answer.error)}`);
      }
      this.attempt = answer.value.attempt;
      return this.sendRegister(expires, answer.value.headers.map((h) => [h.name, h.value] as const));
    }
    if (unregistering) return this.unregistered(false, `${status} ${res.reason}`);
    if (status === 423) {
      // §10.2.8: retry with at least Min-Expires.
      const min = res.get(HeaderId.MinExpires);
      if (min === undefined || min <= this.expires) return this.fail(status, `${status} ${res.reason} without a usable Min-Expires`);
      this.expires = min;
      this.attempt = undefined;
      return this.sendRegister(this.expires);
    }
    if (status === 503) {
      // RFC 3263 §4.3: next target; RFC 3261 §21.5.4: honour Retry-After for this server.
      const retryAfter = res.get(HeaderId.RetryAfter)?.seconds;
      if (this.targets?.fail('service-unavailable') !== undefined) return this.sendRegister(this.expires);
      return this.retryLater(status, `${status} ${res.reason}`, retryAfter === undefined ? undefined : retryAfter * 1000);
    }
    if (status === 408 || status === 480 || (status >= 500 && status < 600)) return this.retryLater(status, `${status} ${res.reason}`);
    // 403, 404 and the other final refusals: the registrar will not take this account.
    return this.fail(status, `registrar refused the registration: ${status} ${res.reason}`);
  }

  private onRegistered(res: SipMessage, sent: ClientRequest): void {
    const target = this.targets!.current()!;
    const ourUri = parseUri(this.contact!.uri);
    const info = bindingFrom(res, ourUri.ok ? ourUri.value : ({ scheme: 'sip', value: '' } as Uri), this.instanceId, this.expires);
    if (info.expires <= 0) {
      // The registrar answered 2xx but kept no binding of ours (§10.3 step 8 lists the bindings).
      return this.retryLater(res.status, `${res.status} ${res.reason} without our binding`);
    }
    const refresh = this.binding !== undefined;
    const connectionId = sent.flow?.connectionId;
    const flowChanged = this.binding?.connectionId !== connectionId;
    this.binding = { ...info, contact: this.contact!.uri, target, connectionId };
    this.failures = 0;
    this.attempt = undefined;
    this.state = 'registered';
    if (flowChanged || this.keepAlive === undefined) this.startKeepAlive(target, info);
    this.clearTimer();
    this.timer = this.stack.clock.setTimer(refreshDelayMs(info.expires), () => {
      this.timer = undefined;
      this.attempt = undefined;
      this.sendRegister(this.expires);
    });
    this.emit({
      type: 'registered', aor: this.aor, contact: this.contact!.uri, expires: info.expires, transport: target.transport, target, refresh,
      outbound: info.outbound, pubGruu: info.pubGruu, tempGruu: info.tempGruu,
    });
  }

  /** RFC 5626 §4.4.1: keep an outbound flow alive (CRLF on streams, every 95–120 s or ~Flow-Timer). */
  private startKeepAlive(target: ServerTarget, info: BindingInfo): void {
    this.stopKeepAlive();
    if (!info.outbound) return;
    const base = info.flowTimer !== undefined ? info.flowTimer * 1000 : undefined;
    const interval = this.options.keepAliveIntervalMs ?? (base !== undefined ? base * (0.8 + 0.2 * this.random()) : 95_000 + 25_000 * this.random());
    const connectionId = this.binding?.connectionId;
    const r = connectionId !== undefined
      ? this.stack.transport.startKeepAlive({ connectionId }, { intervalMs: interval })
      : target.transport === 'udp'
        ? this.stack.transport.startKeepAlive({ destination: this.destinationFor(target) }, { intervalMs: interval })
        : undefined;
    if (r?.ok) this.keepAlive = r.value;
  }

  private stopKeepAlive(): void {
    this.keepAlive?.stop();
    this.keepAlive = undefined;
  }

  private onFailed(f: ClientFailure, sent: ClientRequest): void {
    if (sent !== this.inFlight) return;
    const why = f.kind === 'timeout' ? 'no answer from the registrar' : `transport error: ${f.error?.message ?? 'send failed'}`;
    if (this.state === 'unregistering') return this.unregistered(false, why);
    // RFC 3263 §4.3: on to the next target.
    if (this.targets?.fail(f.kind === 'timeout' ? 'timeout' : 'transport-error') !== undefined) return this.sendRegister(this.expires);
    this.retryLater(f.kind === 'timeout' ? 408 : undefined, why, undefined, f.kind === 'transport-error' ? f.error?.code : undefined);
  }

  /** A flow we are registered over has died: recover at once (RFC 5626 §4.4.1, §4.5). */
  private onTransport(e: TransportEvent): void {
    if (e.kind !== 'connection-closed' && e.kind !== 'flow-failed') return;
    const b = this.binding;
    if (b === undefined || b.connectionId !== e.connectionId || this.state !== 'registered') return;
    this.stopKeepAlive();
    this.binding = { ...b, connectionId: undefined };
    const reason = e.kind === 'flow-failed' ? `flow failed: ${e.reason.message}` : `connection to the registrar closed${e.reason ? `: ${e.reason.message}` : ''}`;
    this.emit({ type: 'registration-failed', aor: this.aor, status: undefined, reason, permanent: false, retryInMs: 0 });
    this.clearTimer();
    void this.locateAndRegister();
  }

  private retryLater(status: number | undefined, reason: string, delayMs?: number, cause?: NetErrorCode): void {
    let wait = delayMs;
    if (wait === undefined) {
      this.failures++;
      wait = backoffDelayMs(this.failures, this.random, this.backoff);
    }
    this.state = 'waiting';
    this.inFlight = undefined;
    this.clearTimer();
    this.timer = this.stack.clock.setTimer(wait, () => {
      this.timer = undefined;
      void this.locateAndRegister();
    });
    this.emit(cause === undefined
      ? { type: 'registration-failed', aor: this.aor, status, reason, permanent: false, retryInMs: wait }
      : { type: 'registration-failed', aor: this.aor, status, reason, permanent: false, retryInMs: wait, cause });
  }

  private fail(status: number | undefined, reason: string): void {
    this.finish('failed');
    this.emit({ type: 'registration-failed', aor: this.aor, status, reason, permanent: true, retryInMs: undefined });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.stack.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
