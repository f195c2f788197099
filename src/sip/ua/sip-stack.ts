// The SIP stack of one Handset: binds the Transport port to the message parser, the
// transaction table, the transport rules (Via, received/rport, response routing) and the UA
// core's own answers. Nothing from the network can make it throw.
import { nullLogger, randomToken, type Clock, type Logger, type Result } from '../../util/index.js';
import type { Destination, Endpoint, InboundMessage, ListenSpec, NetError, Transport, TransportEvent, TransportKind } from '../../net/index.js';
import {
  createRequest, createResponse, parseMessage, serializeMessage, validateMessage, type HeaderLines, type SipMessage, type Uri,
} from '../message/index.js';
import { TransactionTable, buildCancel, type Transaction, type TransactionTableEvent } from '../transaction/index.js';
import { DialogTable, type Dialog } from '../dialog/index.js';
import { DEFAULT_MAX_FORWARDS, bareHost, sentByDefaultPort, formatVia, isOurVia, newBranch, responseDestination, stampReceived, type ArrivalInfo } from '../transport/index.js';
import { buildNon2xxAck } from './ack.js';
import { coreAnswer, defaultCapabilities, type UaCapabilities } from './capabilities.js';
import { looksLikeRequest, malformedRequestResponse } from './malformed-response.js';
import { MergedRequests } from './merged-requests.js';
import { emitTrace, traceEntry, tracedTransport, type SipTraceListener } from './sip-trace.js';
import type { ClientListener, ClientRequest, IncomingRequest, OutgoingRequest, SipStackOptions, SipStackStats } from './stack-types.js';

interface ClientEntry extends ClientRequest {
  listener: ClientListener;
  finalSeen: boolean;
  lastError: NetError | undefined;
}

export class SipStack {
  readonly dialogs = new DialogTable();
  readonly stats: SipStackStats = {
    requestsIn: 0, responsesIn: 0, malformedRequests: 0, malformedResponses: 0, strayResponses: 0, loopsDetected: 0, sendFailures: 0, internalErrors: 0,
  };
  readonly capabilities: UaCapabilities;
  private readonly table: TransactionTable<SipMessage>;
  private readonly clients = new Map<string, ClientEntry>();
  private readonly servers = new Map<string, ArrivalInfo>();
  private readonly merged = new MergedRequests();
  private readonly sentBys = new Set<string>();
  private readonly requestHandlers: Array<(incoming: IncomingRequest) => boolean> = [];
  private readonly ackHandlers = new Set<(ack: SipMessage, dialog: Dialog | undefined) => void>();
  private readonly transportListeners = new Set<(e: TransportEvent) => void>();
  private readonly traceListeners = new Set<SipTraceListener>();
  /** The transport with every send traced (what `transport` hands to the layers above). */
  private readonly wire: Transport;
  private readonly logger: Logger;
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly options: SipStackOptions) {
    this.logger = options.logger ?? nullLogger;
    this.capabilities = options.capabilities ?? defaultCapabilities;
    const tableOptions: ConstructorParameters<typeof TransactionTable<SipMessage>>[0] = {
      clock: options.clock,
      buildAck: buildNon2xxAck,
      // §17.2.1: sent only when the TU has not answered the INVITE by the end of its handling.
      trying: (invite) => createResponse(invite, 100),
      onEvent: (e) => this.onTableEvent(e),
    };
    if (options.timers) tableOptions.timers = options.timers;
    this.table = new TransactionTable<SipMessage>(tableOptions);
    this.wire = tracedTransport(options.transport, this.traceListeners, () => options.clock.now());
    this.unsubscribe = options.transport.onEvent((e) => this.onTransportEvent(e));
  }

  get transport(): Transport {
    return this.wire;
  }

  /** Every message sent or received (method or status, Call-ID, CSeq, peer; never credentials). */
  onTrace(listener: SipTraceListener): () => void {
    this.traceListeners.add(listener);
    return () => this.traceListeners.delete(listener);
  }

  get clock(): Clock {
    return this.options.clock;
  }

  /** Live transactions (client + server). */
  get transactionCount(): number {
    return this.table.size;
  }

  listen(spec: ListenSpec): Promise<Result<Endpoint, NetError>> {
    return this.options.transport.listen(spec);
  }

  /**
   * The host and port we put in Via sent-by and Contact for a transport: the listener of that
   * kind, else the advertised host (port left out: responses come back on the connection,
   * RFC 3261 §18.2.2). WebSocket clients use an `.invalid` host (RFC 7118 §5.2).
   */
  localAddress(kind: TransportKind): { host: string; port: number | undefined } {
    const l = this.options.transport.listeners().find((e) => e.transport === kind);
    const wildcard = (a: string): boolean => a === '0.0.0.0' || a === '::';
    if (l !== undefined) return { host: wildcard(l.address) ? (this.options.advertisedHost ?? '127.0.0.1') : l.address, port: l.port };
    if (kind === 'ws' || kind === 'wss') return { host: `${this.invalidHost}.invalid`, port: undefined };
    const any = this.options.transport.listeners()[0];
    return { host: this.options.advertisedHost ?? (any && !wildcard(any.address) ? any.address : '127.0.0.1'), port: undefined };
  }

  private readonly invalidHost = randomToken(12);

  /** The TU's request handlers, asked in order; one returns true when it took the request. */
  onRequest(handler: (incoming: IncomingRequest) => boolean): () => void {
    this.requestHandlers.push(handler);
    return () => {
      const i = this.requestHandlers.indexOf(handler);
      if (i >= 0) this.requestHandlers.splice(i, 1);
    };
  }

  /**
   * ACKs for the TU: a 2xx's ACK (it matches no transaction, RFC 3261 §13.3.1.4, §17.2.3) or one
   * absorbed in an INVITE server transaction's Accepted state (RFC 6026 §7.1), with its dialog.
   */
  onAck(handler: (ack: SipMessage, dialog: Dialog | undefined) => void): () => void {
    this.ackHandlers.add(handler);
    return () => this.ackHandlers.delete(handler);
  }

  /** Transport events (connections closing, flow failures) for the layers above. */
  onTransport(listener: (e: TransportEvent) => void): () => void {
    this.transportListeners.add(listener);
    return () => this.transportListeners.delete(listener);
  }

  /** Sends a request in a new client transaction; the stack adds the top Via (new branch, rport). */
  sendRequest(out: OutgoingRequest, destination: Destination, listener: ClientListener): ClientRequest {
    const local = this.localAddress(destination.transport);
    const via = formatVia({ transport: destination.transport, host: local.host, port: local.port, branch: newBranch() });
    this.sentBys.add(`${bareHost(local.host).toLowerCase()}:${local.port ?? sentByDefaultPort(destination.transport)}`);
    const headers: Array<readonly [string, string]> = [['Via', via], ...out.headers];
    if (!headers.some(([n]) => n.toLowerCase() === 'max-forwards')) headers.splice(1, 0, ['Max-Forwards', String(DEFAULT_MAX_FORWARDS)]);
    if (this.options.userAgent !== undefined) headers.push(['User-Agent', this.options.userAgent]);
    const init: { method: string; uri: string | Uri; headers: HeaderLines; body?: Buffer | string } = { method: out.method, uri: out.uri, headers };
    if (out.body !== undefined) init.body = out.body;
    return this.startClient(createRequest(init), destination, listener);
  }

  /**
   * RFC 3261 §9.1: CANCELs a pending INVITE sent by `sendRequest`. The CANCEL has the INVITE's
   * Request-URI, Call-ID, From, To, CSeq number, its top Via only (same branch) and its Route
   * set; it runs in its own non-INVITE client transaction, to the INVITE's destination and on its
   * connection (§18.1.1). `headers` adds lines (e.g. Reason, RFC 3326).
   */
  sendCancel(invite: ClientRequest, listener: ClientListener, headers: HeaderLines = []): ClientRequest {
    if (invite.request.method !== 'INVITE') throw new Error(`sendCancel: ${invite.request.method} is not an INVITE`);
    let cancel = buildCancel(invite.request);
    if (headers.length > 0) {
      const lines = cancel.headerList().map((f) => [f.name, f.value] as const);
      cancel = createRequest({ method: 'CANCEL', uri: cancel.requestUriText, headers: [...lines, ...headers] });
    }
    const destination: Destination = { ...invite.destination };
    if (invite.flow?.connectionId !== undefined) destination.connectionId = invite.flow.connectionId;
    return this.startClient(cancel, destination, listener);
  }

  private startClient(request: SipMessage, destination: Destination, listener: ClientListener): ClientRequest {
    const entry: ClientEntry = { request, destination: { ...destination }, flow: undefined, listener, finalSeen: false, lastError: undefined };
    // The table sends synchronously from sendRequest: register the entry by key first.
    this.pendingClient = entry;
    const tx = this.table.sendRequest(request, destination.transport !== 'udp');
    this.pendingClient = undefined;
    this.clients.set(tx.id, entry);
    return entry;
  }

  private pendingClient: ClientEntry | undefined;

  /** Answers a request the TU took. */
  respond(incoming: IncomingRequest, status: number, reason?: string, headers: HeaderLines = [], body?: Buffer | string): SipMessage {
    const init: { toTag: string; headers: HeaderLines; body?: Buffer | string } = { toTag: incoming.localTag, headers: this.serverHeaders(headers) };
    if (body !== undefined) init.body = body;
    const response = createResponse(incoming.request, status, reason, init);
    this.table.respond(incoming.transaction, response);
    return response;
  }

  /** Stops timers and the transport subscription (the transport itself belongs to the caller). */
  close(): void {
    this.closed = true;
    this.table.dispose();
    this.unsubscribe();
    this.clients.clear();
    this.servers.clear();
  }

  private serverHeaders(headers: HeaderLines): HeaderLines {
    return this.options.userAgent === undefined ? headers : [...headers, ['Server', this.options.userAgent]];
  }

  private onTransportEvent(e: TransportEvent): void {
    if (this.closed) return;
    try {
      if (e.kind === 'message') this.onMessage(e);
      for (const l of [...this.transportListeners]) l(e);
    } catch (error) {
      this.stats.internalErrors++;
      this.logger.log('error', 'sip stack: error handling network input', { error: String(error) });
    }
  }

  private onMessage(m: InboundMessage): void {
    const arrival: ArrivalInfo = { transport: m.source.transport, sourceAddress: m.source.address, sourcePort: m.source.port };
    if (m.connectionId !== undefined) arrival.connectionId = m.connectionId;
    // Stream transports hand over whole framed messages; each is parsed like a datagram (§18.3).
    const r = parseMessage(m.bytes, { datagram: true });
    if (r.kind !== 'ok') {
      const reason = r.kind === 'malformed' ? r.reason : 'incomplete message';
      if (!looksLikeRequest(m.bytes)) {
        this.stats.malformedResponses++;
        return;
      }
      this.stats.malformedRequests++;
      if (r.kind === 'malformed' && r.response !== undefined) this.sendRaw(malformedRequestResponse(m.bytes, r.response, reason, randomToken(10)), arrival);
      return;
    }
    const msg = r.message;
    if (this.traceListeners.size > 0) emitTrace(this.traceListeners, traceEntry('in', msg, m.source, this.options.clock.now()));
    if (msg.isResponse) {
      this.stats.responsesIn++;
      // §18.1.2: a response must have exactly our Via on top.
      if (!isOurVia(msg.topVia, this.sentBys) || !this.table.receiveResponse(msg)) this.stats.strayResponses++;
      return;
    }
    this.stats.requestsIn++;
    const invalid = validateMessage(msg);
    if (invalid !== undefined) {
      this.stats.malformedRequests++;
      if (invalid.response !== undefined && msg.method !== 'ACK') {
        const res = createResponse(msg, invalid.response.status, invalid.response.reason, {
          toTag: randomToken(10),
          headers: [['Warning', `399 handset "${invalid.reason.replace(/["\\\r\n]/g, "'")}"`]],
        });
        this.sendRaw(serializeMessage(res), arrival);
      }
      return;
    }
    stampReceived(msg, arrival.sourceAddress, arrival.sourcePort);
    this.pendingArrival = arrival;
    this.table.receiveRequest(msg, arrival.transport !== 'udp');
    this.pendingArrival = undefined;
  }

  private pendingArrival: ArrivalInfo | undefined;

  private onTableEvent(e: TransactionTableEvent<SipMessage>): void {
    switch (e.type) {
      case 'send':
        return this.sendForTransaction(e.message, e.transaction);
      case 'response': {
        const c = this.clients.get(e.transaction.id);
        if (c === undefined) return;
        if (e.response.status >= 200) c.finalSeen = true;
        c.listener.response(e.response);
        return;
      }
      case 'request': {
        if (this.pendingArrival !== undefined) this.servers.set(e.transaction.id, this.pendingArrival);
        this.dispatchRequest(e.request, e.transaction, e.cancels);
        return;
      }
      case 'ack': {
        const dialog = this.dialogs.findForRequest(e.ack);
        // §12.2.2: the ACK moves no CSeq; it only reaches the dialog's owner.
        for (const h of [...this.ackHandlers]) h(e.ack, dialog);
        return;
      }
      case 'transport-error':
        return;
      case 'stray-response':
        return;
      case 'terminated': {
        const c = this.clients.get(e.transaction.id);
        if (c !== undefined) {
          this.clients.delete(e.transaction.id);
          if (!c.finalSeen && e.reason !== 'completed') {
            c.listener.failed(e.reason === 'timeout' ? { kind: 'timeout' } : { kind: 'transport-error', error: c.lastError });
          }
        }
        if (this.servers.delete(e.transaction.id)) this.merged.forget(e.transaction);
        return;
      }
    }
  }

  private sendForTransaction(message: SipMessage, tx: Transaction<SipMessage>): void {
    const bytes = serializeMessage(message);
    if (tx.kind === 'ict' || tx.kind === 'nict') {
      const c = this.clients.get(tx.id) ?? this.pendingClient;
      if (c === undefined) return;
      const dest = c.destination;
      void this.wire.send(dest, bytes).then((r) => {
        if (this.closed) return;
        if (r.ok) {
          c.flow ??= r.value;
          // Later sends (retransmissions, ACK) stay on the same connection (§18.1.1).
          if (r.value.connectionId !== undefined) dest.connectionId = r.value.connectionId;
        } else {
          this.stats.sendFailures++;
          c.lastError = r.error;
          if (this.clients.get(tx.id) === c) this.table.transportError(tx);
        }
      });
      return;
    }
    // A response while the table is still creating the server transaction, before its 'request'
    // event records the arrival: fall back to the arrival being handled.
    const arrival = this.servers.get(tx.id) ?? this.pendingArrival;
    if (arrival === undefined) return;
    // Responses copy the request's Via lines (§8.2.6.2): its top Via, read once, serves them all.
    const dest = responseDestination(tx.request.topVia ?? message.topVia!, arrival);
    void this.wire.send(dest, bytes).then((r) => {
      if (!r.ok && !this.closed) {
        this.stats.sendFailures++;
        this.table.transportError(tx);
      }
    });
  }

  /** A stateless answer (refused requests): to the packet's source, on its connection. */
  private sendRaw(bytes: Buffer, arrival: ArrivalInfo): void {
    const dest: Destination = { transport: arrival.transport, host: arrival.sourceAddress, port: arrival.sourcePort };
    if (arrival.connectionId !== undefined) dest.connectionId = arrival.connectionId;
    void this.wire.send(dest, bytes).then((r) => {
      if (!r.ok) this.stats.sendFailures++;
    });
  }

  private dispatchRequest(request: SipMessage, transaction: Transaction<SipMessage>, cancels: Transaction<SipMessage> | undefined): void {
    const arrival = this.servers.get(transaction.id)!;
    const incoming: IncomingRequest = { request, transaction, arrival, dialog: undefined, localTag: request.toTag ?? randomToken(10) };
    if (cancels !== undefined) incoming.cancels = cancels;
    const match = this.dialogs.match(request);
    if (match.kind === 'unknown-dialog') {
      if (match.respond) this.respond(incoming, match.respond.status, match.respond.reason);
      return;
    }
    if (match.kind === 'in-dialog') {
      if (!match.verdict.accept) {
        this.respond(incoming, match.verdict.status, match.verdict.reason);
        return;
      }
      incoming.dialog = match.dialog;
    } else {
      if (this.merged.isMerged(transaction)) {
        this.stats.loopsDetected++;
        this.respond(incoming, 482, 'Loop Detected');
        return;
      }
      if (request.method === 'CANCEL') {
        // §9.2: 481 when no INVITE transaction matches; else the TU (which owes the INVITE its 487)
        // or, when none takes it, 200 here: the INVITE was answered already.
        if (cancels === undefined) this.respond(incoming, 481, 'Call/Transaction Does Not Exist');
        else if (!this.requestHandlers.some((h) => h(incoming))) this.respond(incoming, 200);
        return;
      }
      if (request.method === 'BYE') {
        this.respond(incoming, 481, 'Call/Transaction Does Not Exist');
        return;
      }
    }
    const answer = coreAnswer(request, this.capabilities);
    if (answer !== undefined) {
      this.respond(incoming, answer.status, answer.reason, answer.headers);
      return;
    }
    if (this.requestHandlers.some((h) => h(incoming))) return;
    // No TU took it (no call handling in this build): the user is not available.
    this.respond(incoming, 480, 'Temporarily Unavailable');
  }

}
