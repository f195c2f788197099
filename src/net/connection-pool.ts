// Open connections of every connection-oriented transport, indexed for reuse (RFC 3261 §18):
// by id (a response goes back on the request's connection, §18.2.2) and by destination
// (a new request reuses an open connection to the same place, §18.1.1).
import { err, ok, type Clock, type Result, type TimerHandle } from '../util/index.js';
import { normalizeAddress } from './endpoint.js';
import { netError, type NetError } from './errors.js';
import { DEFAULT_PONG_TIMEOUT_MS, KeepAliveTimer } from './keep-alive.js';
import type { Destination, Endpoint, KeepAliveHandle, KeepAliveOptions, SendInfo, TransportEvent, TransportKind } from './types.js';

/** One open connection (TCP, TLS, WS or WSS), whatever carries it. */
export interface Connection {
  readonly id: string;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  /** Reuse key (see `connectionKey`). */
  readonly key: string;
  write(bytes: Buffer): Result<void, NetError>;
  /** Sends a keep-alive ping (CRLF CRLF on streams, a ping frame on WebSockets). */
  sendPing(): void;
  /** Closes; `reason` is reported in the connection-closed event. */
  close(reason: NetError | null): void;
}

/** What a connection reports back to the pool. */
export interface ConnectionSink {
  /** Any bytes or frames arrived (keeps an inbound connection from idling out). */
  activity(conn: Connection): void;
  message(conn: Connection, bytes: Buffer): void;
  pong(conn: Connection): void;
  closed(conn: Connection, reason: NetError | null): void;
}

/** Connections are reused only for the same transport, address, port, TLS name and WS path. */
export function connectionKey(transport: TransportKind, address: string, port: number, hostname = '', path = ''): string {
  return `${transport}|${normalizeAddress(address)}|${port}|${hostname.toLowerCase()}|${path}`;
}

export interface PoolLimits {
  /** Inbound connections beyond this many open ones are refused (a flood must not exhaust us). */
  maxConnections?: number;
  /** Inbound connections silent this long are closed; 0 = never. */
  idleTimeoutMs?: number;
}

export class ConnectionPool implements ConnectionSink {
  private readonly byId = new Map<string, Connection>();
  private readonly byKey = new Map<string, Connection>();
  private readonly pending = new Map<string, Promise<Result<Connection, NetError>>>();
  private readonly keepAlives = new Map<string, KeepAliveTimer>();
  private readonly idle = new Map<string, { last: number; timer: TimerHandle }>();
  private counter = 0;
  private shutDown = false;
  private readonly maxConnections: number;
  private readonly idleTimeoutMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly emit: (e: TransportEvent) => void,
    limits: PoolLimits = {},
  ) {
    this.maxConnections = limits.maxConnections ?? 1024;
    this.idleTimeoutMs = limits.idleTimeoutMs ?? 0;
  }

  /** True when an inbound connection would exceed the limit; the refusal is reported as an event. */
  refuseInbound(kind: TransportKind, remoteAddress: string | undefined): boolean {
    if (this.shutDown) return true;
    if (this.byId.size < this.maxConnections) return false;
    this.emit({ kind: 'socket-error', error: netError('socket-error', `inbound ${kind} connection from ${remoteAddress ?? '?'} refused: ${this.maxConnections} connections open`) });
    return true;
  }

  nextId(kind: TransportKind): string {
    return `${kind}-${++this.counter}`;
  }

  get(id: string): Connection | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  add(conn: Connection, direction: 'inbound' | 'outbound'): void {
    this.byId.set(conn.id, conn);
    // The newest connection to a place wins the reuse slot; older ones still carry their replies.
    this.byKey.set(conn.key, conn);
    this.emit({ kind: 'connection-opened', connectionId: conn.id, direction, remote: conn.remote, local: conn.local });
    if (direction === 'inbound' && this.idleTimeoutMs > 0) this.watchIdle(conn);
  }

  /** Closes an inbound connection once nothing has arrived on it for idleTimeoutMs. */
  private watchIdle(conn: Connection): void {
    const check = (): void => {
      const w = this.idle.get(conn.id);
      if (!w) return;
      const quiet = this.clock.now() - w.last;
      if (quiet >= this.idleTimeoutMs) {
        this.idle.delete(conn.id);
        conn.close(netError('idle-timeout', `connection ${conn.id} from ${conn.remote.address} port ${conn.remote.port} idle for ${quiet} ms`));
      } else {
        w.timer = this.clock.setTimer(this.idleTimeoutMs - quiet, check);
      }
    };
    this.idle.set(conn.id, { last: this.clock.now(), timer: this.clock.setTimer(this.idleTimeoutMs, check) });
  }

  activity(conn: Connection): void {
    const w = this.idle.get(conn.id);
    if (w) w.last = this.clock.now();
  }

  /** An open connection for `key`, or the one being opened, or a new one from `open`. */
  obtain(key: string, open: () => Promise<Result<Connection, NetError>>): Promise<Result<Connection, NetError>> {
    const existing = this.byKey.get(key);
    if (existing) return Promise.resolve(ok(existing));
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const p = open().then((r): Result<Connection, NetError> => {
      this.pending.delete(key);
      if (!r.ok) return r;
      if (this.shutDown) {
        // Opened while the transport was closing: it must not outlive it.
        r.value.close(null);
        return err(netError('connection-closed', 'the transport was closed while connecting'));
      }
      this.add(r.value, 'outbound');
      return r;
    });
    this.pending.set(key, p);
    return p;
  }

  /**
   * Sends on the connection named by `dest.connectionId` if it is still open (RFC 3261 §18.2.2),
   * else on an open (or newly opened) connection for `key` (§18.1.1).
   */
  async send(dest: Destination, key: string, open: () => Promise<Result<Connection, NetError>>, bytes: Buffer): Promise<Result<SendInfo, NetError>> {
    const named = dest.connectionId ? this.byId.get(dest.connectionId) : undefined;
    let conn = named && named.remote.transport === dest.transport ? named : undefined;
    if (!conn) {
      const r = await this.obtain(key, open);
      if (!r.ok) return r;
      conn = r.value;
    }
    const w = conn.write(bytes);
    return w.ok ? ok({ connectionId: conn.id, local: conn.local }) : w;
  }

  startKeepAlive(id: string, options: KeepAliveOptions): Result<KeepAliveHandle, NetError> {
    const conn = this.byId.get(id);
    if (!conn) return err(netError('connection-closed', `no open connection ${id}`));
    this.keepAlives.get(id)?.stop();
    const timeout = options.pongTimeoutMs ?? DEFAULT_PONG_TIMEOUT_MS;
    const timer = new KeepAliveTimer(
      this.clock,
      options.intervalMs,
      timeout,
      () => conn.sendPing(),
      () => {
        const reason = netError('keepalive-timeout', `no keep-alive pong from ${conn.remote.address} port ${conn.remote.port} within ${timeout} ms`);
        this.emit({ kind: 'flow-failed', connectionId: conn.id, remote: conn.remote, reason });
        conn.close(reason);
      },
    );
    this.keepAlives.set(id, timer);
    timer.start();
    return ok({
      stop: () => {
        timer.stop();
        if (this.keepAlives.get(id) === timer) this.keepAlives.delete(id);
      },
    });
  }

  close(id: string): void {
    this.byId.get(id)?.close(null);
  }

  closeAll(): void {
    this.shutDown = true;
    for (const c of [...this.byId.values()]) c.close(null);
  }

  message(conn: Connection, bytes: Buffer): void {
    this.emit({ kind: 'message', bytes, source: conn.remote, local: conn.local, connectionId: conn.id });
  }

  pong(conn: Connection): void {
    this.keepAlives.get(conn.id)?.pong();
    this.emit({ kind: 'keepalive-pong', connectionId: conn.id, remote: conn.remote });
  }

  closed(conn: Connection, reason: NetError | null): void {
    if (!this.byId.delete(conn.id)) return;
    if (this.byKey.get(conn.key) === conn) this.byKey.delete(conn.key);
    this.keepAlives.get(conn.id)?.stop();
    this.keepAlives.delete(conn.id);
    const w = this.idle.get(conn.id);
    if (w) this.clock.clearTimer(w.timer);
    this.idle.delete(conn.id);
    this.emit({ kind: 'connection-closed', connectionId: conn.id, remote: conn.remote, reason });
  }
}
