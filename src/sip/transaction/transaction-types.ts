/** Per-stack timer base values (RFC 3261 §17.1.1.1, Table 4), in milliseconds. */
export interface TimerConfig {
  t1: number;
  t2: number;
  t4: number;
}

export const defaultTimerConfig: Readonly<TimerConfig> = Object.freeze({ t1: 500, t2: 4000, t4: 5000 });

/** RFC 3261 §17 Table 4 timers plus RFC 6026's L and M. */
/** RFC 3261 §17 timers; `Trying` is the IST's wait for the TU before it sends a 100 itself (§17.2.1). */
export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'Trying';

/** Why a transaction ended: normal end of its timers, a timeout, or a transport failure. */
export type TerminationReason = 'completed' | 'timeout' | 'transport-error';

/** What a transaction core asks its driver to do. */
export type TransactionAction<Req, Res> =
  | { type: 'send-request'; request: Req }
  | { type: 'send-ack'; ack: Req }
  | { type: 'send-response'; response: Res }
  | { type: 'deliver-response'; response: Res }
  | { type: 'deliver-ack'; ack: Req }
  | { type: 'start-timer'; timer: TimerName; delayMs: number }
  | { type: 'stop-timer'; timer: TimerName }
  /** Inform the TU of a transport error without ending (RFC 6026 §7.1 server side). */
  | { type: 'report-transport-error' }
  | { type: 'terminated'; reason: TerminationReason };

/** Events into client transactions. */
export type ClientTransactionEvent<Res> =
  | { type: 'response'; status: number; response: Res }
  | { type: 'timer'; timer: TimerName }
  | { type: 'transport-error' };

/** Events into server transactions. */
export type ServerTransactionEvent<Req, Res> =
  | { type: 'request-retransmission'; request: Req }
  | { type: 'ack'; ack: Req }
  | { type: 'tu-response'; status: number; response: Res }
  | { type: 'timer'; timer: TimerName }
  | { type: 'transport-error' };

/** The common face of the four transaction cores. */
export interface TransactionCore<E, Req, Res> {
  readonly kind: 'ict' | 'nict' | 'ist' | 'nist';
  readonly stateName: string;
  start(): TransactionAction<Req, Res>[];
  handle(event: E): TransactionAction<Req, Res>[];
}

/** 64*T1: Timers B, F, H, J, L, M (RFC 3261 Table 4, RFC 6026 §8.4). */
export const sixtyFourT1 = (c: TimerConfig): number => 64 * c.t1;

/** Timer D on unreliable transports: at least 32 s (RFC 3261 §17.1.1.2, Table 4). */
export const timerD = (c: TimerConfig): number => Math.max(32000, sixtyFourT1(c));
