// The types of the SipStack's face: options, counters, outgoing and incoming requests.
import type { Clock, Logger } from '../../util/index.js';
import type { Destination, NetError, SendInfo, Transport } from '../../net/index.js';
import type { HeaderLines, SipMessage, Uri } from '../message/index.js';
import type { TimerConfig, Transaction } from '../transaction/index.js';
import type { Dialog } from '../dialog/index.js';
import type { ArrivalInfo } from '../transport/index.js';
import type { UaCapabilities } from './capabilities.js';

export interface SipStackOptions {
  transport: Transport;
  clock: Clock;
  timers?: TimerConfig;
  logger?: Logger;
  capabilities?: UaCapabilities;
  /** User-Agent / Server value. */
  userAgent?: string;
  /** Host written in Via and Contact when a listener is bound to a wildcard address (0.0.0.0, ::). */
  advertisedHost?: string;
}

/** Counters of what came in and what was refused. */
export interface SipStackStats {
  requestsIn: number;
  responsesIn: number;
  /** Requests refused by the parser or validation (answered when possible). */
  malformedRequests: number;
  /** Responses that did not parse: dropped (RFC 3261 §18.1.2, RFC 4475 §3.1.2.19). */
  malformedResponses: number;
  /** Responses whose top Via is not ours (§18.1.2) or that match no transaction. */
  strayResponses: number;
  /** 482 answers to merged requests (§8.2.2.2). */
  loopsDetected: number;
  sendFailures: number;
  /** Exceptions caught while handling network input (should stay 0). */
  internalErrors: number;
}

/** A request without the top Via (the stack adds it); Max-Forwards is added when missing. */
export interface OutgoingRequest {
  method: string;
  uri: string | Uri;
  headers: HeaderLines;
  body?: Buffer | string;
}

export type ClientFailure = { kind: 'timeout' } | { kind: 'transport-error'; error: NetError | undefined };

export interface ClientListener {
  /** Every response (1xx included) of the client transaction. */
  response(response: SipMessage): void;
  /** No final response: Timer B/F fired or the transport failed. */
  failed(failure: ClientFailure): void;
}

/** A request in flight. `flow` is set once the first send went out (connection and our end). */
export interface ClientRequest {
  readonly request: SipMessage;
  readonly destination: Destination;
  flow: SendInfo | undefined;
}

/** A request for the TU. */
export interface IncomingRequest {
  request: SipMessage;
  transaction: Transaction<SipMessage>;
  arrival: ArrivalInfo;
  dialog: Dialog | undefined;
  /** The To tag every response to this request carries (one per request, so 1xx and 2xx agree, §8.2.6.2). */
  localTag: string;
  /** For a CANCEL: the INVITE server transaction it targets (RFC 3261 §9.2). */
  cancels?: Transaction<SipMessage>;
}
