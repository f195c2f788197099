import { assertNever, type Clock } from '../../util/index.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import { clientKey, serverKey, type TransactionMessage } from './transaction-keys.js';
import { TransactionRunner, type TransactionOutput } from './transaction-runner.js';
import {
  defaultTimerConfig,
  type ClientTransactionEvent,
  type ServerTransactionEvent,
  type TerminationReason,
  type TimerConfig,
} from './transaction-types.js';

/** A live transaction as the TU sees it. */
export interface Transaction<M> {
  readonly id: string;
  readonly kind: 'ict' | 'nict' | 'ist' | 'nist';
  /** The request that created it. */
  readonly request: M;
  readonly reliable: boolean;
  /** Current state name (`calling`, `proceeding`, `completed`, `accepted`, ...). */
  readonly state: string;
}

/** What the table tells its user (the transport below and the TU above). */
export type TransactionTableEvent<M> =
  /** Put on the wire: requests, retransmissions, ACKs for non-2xx, responses. */
  | { type: 'send'; message: M; transaction: Transaction<M> }
  /** A response for a client transaction. */
  | { type: 'response'; response: M; transaction: Transaction<M> }
  /** A new request; `cancels` is the INVITE server transaction a CANCEL targets (§9.2), if any. */
  | { type: 'request'; request: M; transaction: Transaction<M>; cancels?: Transaction<M> }
  /** An ACK for the TU: in an IST's Accepted state (RFC 6026) or matching no transaction (2xx ACK). */
  | { type: 'ack'; ack: M; transaction?: Transaction<M> }
  /** A response that matches no client transaction (§17.1.3; e.g. a 2xx after Timer M). */
  | { type: 'stray-response'; response: M }
  /** A server transaction could not send but lives on (RFC 6026 §7.1); fatal errors end in `terminated`. */
  | { type: 'transport-error'; transaction: Transaction<M> }
  | { type: 'terminated'; transaction: Transaction<M>; reason: TerminationReason };

export interface TransactionTableOptions<M> {
  clock: Clock;
  timers?: TimerConfig;
  /** Builds the ACK for a non-2xx final response (RFC 3261 §17.1.1.3). */
  buildAck: (invite: M, response: M) => M;
  /**
   * Builds a 100 Trying for a new INVITE, sent unless the TU answers while handling the request
   * (§17.2.1; see InviteServerTransaction); when absent the TU answers within 200 ms itself.
   */
  trying?: (invite: M) => M;
  onEvent: (event: TransactionTableEvent<M>) => void;
}

type Runner<M> = TransactionRunner<ClientTransactionEvent<M>, M, M> | TransactionRunner<ServerTransactionEvent<M, M>, M, M>;

class Entry<M> implements Transaction<M> {
  runner!: Runner<M>;
  constructor(
    readonly id: string,
    readonly kind: 'ict' | 'nict' | 'ist' | 'nist',
    readonly request: M,
    readonly reliable: boolean,
  ) {}
  get state(): string {
    return this.runner.core.stateName;
  }
  client(event: ClientTransactionEvent<M>): void {
    (this.runner as TransactionRunner<ClientTransactionEvent<M>, M, M>).handle(event);
  }
  server(event: ServerTransactionEvent<M, M>): void {
    (this.runner as TransactionRunner<ServerTransactionEvent<M, M>, M, M>).handle(event);
  }
  toJSON(): { id: string; kind: string; state: string } {
    return { id: this.id, kind: this.kind, state: this.state };
  }
}

/**
 * Maps messages to transactions (RFC 3261 §17.1.3, §17.2.3), creates server transactions for
 * new requests and absorbs retransmissions. One table per stack.
 */
export class TransactionTable<M extends TransactionMessage> {
  private readonly clients = new Map<string, Entry<M>>();
  private readonly servers = new Map<string, Entry<M>>();
  private readonly timers: TimerConfig;
  /** Requests dropped for lack of a top Via. */
  dropped = 0;

  constructor(private readonly options: TransactionTableOptions<M>) {
    this.timers = options.timers ?? defaultTimerConfig;
  }

  get size(): number {
    return this.clients.size + this.servers.size;
  }

  /** Starts a client transaction for `request` (not ACK) and sends it. The request needs a branch. */
  sendRequest(request: M, reliable: boolean): Transaction<M> {
    const branch = request.branch;
    if (request.method === 'ACK') throw new Error('ACK is not sent through a client transaction (§17.1.1.3, §13.2.2.4)');
    if (branch === undefined) throw new Error('request has no Via branch');
    const id = clientKey(branch, request.method);
    if (this.clients.has(id)) throw new Error(`client transaction ${branch} ${request.method} exists`);
    const entry = new Entry<M>(id, request.method === 'INVITE' ? 'ict' : 'nict', request, reliable);
    const core =
      entry.kind === 'ict'
        ? new InviteClientTransaction<M, M>(request, this.options.buildAck, this.timers, reliable)
        : new NonInviteClientTransaction<M, M>(request, this.timers, reliable);
    entry.runner = new TransactionRunner(core, this.options.clock, (a) => this.output(entry, this.clients, a));
    this.clients.set(id, entry);
    entry.runner.start();
    return entry;
  }

  /** A response from the network; false when it matches no client transaction (§17.1.3). */
  receiveResponse(response: M): boolean {
    const branch = response.branch;
    const entry = branch === undefined ? undefined : this.clients.get(clientKey(branch, response.method));
    if (entry === undefined) {
      this.options.onEvent({ type: 'stray-response', response });
      return false;
    }
    entry.client({ type: 'response', status: response.status, response });
    return true;
  }

  /** A request from the network: retransmission, ACK, or a new server transaction (§17.2.3). */
  receiveRequest(request: M, reliable: boolean): void {
    const id = serverKey(request);
    if (id === undefined) {
      this.dropped++;
      return;
    }
    const entry = this.servers.get(id);
    if (request.method === 'ACK') {
      if (entry !== undefined && entry.kind === 'ist') entry.server({ type: 'ack', ack: request });
      else this.options.onEvent({ type: 'ack', ack: request });
      return;
    }
    if (entry !== undefined) {
      entry.server({ type: 'request-retransmission', request });
      return;
    }
    const kind = request.method === 'INVITE' ? 'ist' : 'nist';
    const created = new Entry<M>(id, kind, request, reliable);
    const build = this.options.trying;
    const trying = kind === 'ist' && build !== undefined ? () => build(request) : undefined;
    const core =
      kind === 'ist'
        ? new InviteServerTransaction<M, M>(request, this.timers, reliable, trying)
        : new NonInviteServerTransaction<M, M>(request, this.timers, reliable);
    created.runner = new TransactionRunner(core, this.options.clock, (a) => this.output(created, this.servers, a));
    this.servers.set(id, created);
    created.runner.start();
    let cancels: Transaction<M> | undefined;
    if (request.method === 'CANCEL') {
      // §9.2: the CANCEL matches the INVITE's server transaction by the same rules, method INVITE.
      const target = this.servers.get(serverKey(request, 'INVITE')!);
      if (target !== undefined && target.kind === 'ist') cancels = target;
    }
    this.options.onEvent(cancels ? { type: 'request', request, transaction: created, cancels } : { type: 'request', request, transaction: created });
  }

  /** The TU's response for a server transaction. */
  respond(transaction: Transaction<M>, response: M): void {
    const entry = this.servers.get(transaction.id);
    if (entry === undefined || entry !== transaction) return; // already terminated
    entry.server({ type: 'tu-response', status: response.status, response });
  }

  /** The transport failed to send for this transaction (§17.1.1.2, §17.1.2.2, RFC 6026 §7.1). */
  transportError(transaction: Transaction<M>): void {
    const entry = transaction as Entry<M>;
    if (entry.kind === 'ict' || entry.kind === 'nict') entry.client({ type: 'transport-error' });
    else entry.server({ type: 'transport-error' });
  }

  /** Stops all timers and forgets every transaction (stack shutdown); emits nothing. */
  dispose(): void {
    for (const e of [...this.clients.values(), ...this.servers.values()]) e.runner.dispose();
    this.clients.clear();
    this.servers.clear();
  }

  private output(entry: Entry<M>, map: Map<string, Entry<M>>, a: TransactionOutput<M, M>): void {
    const emit = this.options.onEvent;
    switch (a.type) {
      case 'send-request':
        return emit({ type: 'send', message: a.request, transaction: entry });
      case 'send-ack':
        return emit({ type: 'send', message: a.ack, transaction: entry });
      case 'send-response':
        return emit({ type: 'send', message: a.response, transaction: entry });
      case 'deliver-response':
        return emit({ type: 'response', response: a.response, transaction: entry });
      case 'deliver-ack':
        return emit({ type: 'ack', ack: a.ack, transaction: entry });
      case 'report-transport-error':
        return emit({ type: 'transport-error', transaction: entry });
      case 'terminated':
        // §17.1.1.2 / §17.2.1: a terminated transaction is destroyed at once.
        if (map.get(entry.id) === entry) map.delete(entry.id);
        return emit({ type: 'terminated', transaction: entry, reason: a.reason });
      default:
        return assertNever(a, 'transaction output');
    }
  }
}
