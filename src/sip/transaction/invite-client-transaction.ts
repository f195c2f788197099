import { assertNever } from '../../util/index.js';
import {
  sixtyFourT1,
  timerD,
  type ClientTransactionEvent,
  type TerminationReason,
  type TimerConfig,
  type TransactionAction,
  type TransactionCore,
} from './transaction-types.js';

/** RFC 3261 §17.1.1 with RFC 6026 §7.2 (Accepted state, Timer M). */
export type InviteClientState =
  | { kind: 'calling'; retransmitInterval: number }
  | { kind: 'proceeding' }
  | { kind: 'completed' }
  | { kind: 'accepted' }
  | { kind: 'terminated' };

type Event<Res> = ClientTransactionEvent<Res>;
type Actions<Req, Res> = TransactionAction<Req, Res>[];

/**
 * INVITE client transaction (ICT), sans-I/O: events in, actions out.
 * `buildAck` makes the ACK for a non-2xx final response (§17.1.1.3).
 */
export class InviteClientTransaction<Req, Res> implements TransactionCore<Event<Res>, Req, Res> {
  readonly kind = 'ict';
  private state: InviteClientState = { kind: 'calling', retransmitInterval: 0 };
  private ack: Req | undefined;

  constructor(
    readonly request: Req,
    private readonly buildAck: (invite: Req, response: Res) => Req,
    private readonly timers: TimerConfig,
    private readonly reliable: boolean,
  ) {}

  get stateName(): InviteClientState['kind'] {
    return this.state.kind;
  }

  start(): Actions<Req, Res> {
    // §17.1.1.2: send, Timer A = T1 on unreliable transports only, Timer B = 64*T1.
    this.state = { kind: 'calling', retransmitInterval: this.timers.t1 };
    const out: Actions<Req, Res> = [{ type: 'send-request', request: this.request }];
    if (!this.reliable) out.push({ type: 'start-timer', timer: 'A', delayMs: this.timers.t1 });
    out.push({ type: 'start-timer', timer: 'B', delayMs: sixtyFourT1(this.timers) });
    return out;
  }

  handle(event: Event<Res>): Actions<Req, Res> {
    const s = this.state;
    switch (s.kind) {
      case 'calling':
        return this.inCalling(s, event);
      case 'proceeding':
        return this.inProceeding(event);
      case 'completed':
        return this.inCompleted(event);
      case 'accepted':
        return this.inAccepted(event);
      case 'terminated':
        return [];
      default:
        return assertNever(s, 'ICT state');
    }
  }

  private inCalling(s: { retransmitInterval: number }, event: Event<Res>): Actions<Req, Res> {
    switch (event.type) {
      case 'timer':
        if (event.timer === 'A') {
          // §17.1.1.2: retransmit and double the interval (no cap for INVITE).
          const next = s.retransmitInterval * 2;
          this.state = { kind: 'calling', retransmitInterval: next };
          return [
            { type: 'send-request', request: this.request },
            { type: 'start-timer', timer: 'A', delayMs: next },
          ];
        }
        if (event.timer === 'B') return this.terminate('timeout');
        return [];
      case 'transport-error':
        return this.terminate('transport-error');
      case 'response':
        return this.onResponse(event.status, event.response);
      default:
        return assertNever(event, 'ICT event');
    }
  }

  private inProceeding(event: Event<Res>): Actions<Req, Res> {
    switch (event.type) {
      case 'response':
        return this.onResponse(event.status, event.response);
      case 'timer':
      case 'transport-error':
        return [];
      default:
        return assertNever(event, 'ICT event');
    }
  }

  private onResponse(status: number, response: Res): Actions<Req, Res> {
    const stop: Actions<Req, Res> = [
      { type: 'stop-timer', timer: 'A' },
      { type: 'stop-timer', timer: 'B' },
    ];
    if (status < 200) {
      this.state = { kind: 'proceeding' };
      return [...stop, { type: 'deliver-response', response }];
    }
    if (status < 300) {
      // RFC 6026 §7.2: Accepted, pass the 2xx up, Timer M = 64*T1; never ACK a 2xx here.
      this.state = { kind: 'accepted' };
      return [...stop, { type: 'deliver-response', response }, { type: 'start-timer', timer: 'M', delayMs: sixtyFourT1(this.timers) }];
    }
    // §17.1.1.2: 300-699 → Completed, ACK, pass up, Timer D (≥ 32 s unreliable, 0 reliable).
    this.state = { kind: 'completed' };
    this.ack = this.buildAck(this.request, response);
    const out: Actions<Req, Res> = [...stop, { type: 'send-ack', ack: this.ack }, { type: 'deliver-response', response }];
    if (this.reliable) return [...out, ...this.terminate('completed')];
    return [...out, { type: 'start-timer', timer: 'D', delayMs: timerD(this.timers) }];
  }

  private inCompleted(event: Event<Res>): Actions<Req, Res> {
    switch (event.type) {
      case 'response':
        // §17.1.1.2: a retransmitted final response gets the ACK again, not passed up.
        return event.status >= 300 && this.ack !== undefined ? [{ type: 'send-ack', ack: this.ack }] : [];
      case 'timer':
        return event.timer === 'D' ? this.terminate('completed') : [];
      case 'transport-error':
        return this.terminate('transport-error');
      default:
        return assertNever(event, 'ICT event');
    }
  }

  private inAccepted(event: Event<Res>): Actions<Req, Res> {
    switch (event.type) {
      case 'response':
        // RFC 6026 §7.2: further 2xx (retransmissions, other fork branches) go to the TU.
        return event.status >= 200 && event.status < 300 ? [{ type: 'deliver-response', response: event.response }] : [];
      case 'timer':
        return event.timer === 'M' ? this.terminate('completed') : [];
      case 'transport-error':
        return [];
      default:
        return assertNever(event, 'ICT event');
    }
  }

  private terminate(reason: TerminationReason): Actions<Req, Res> {
    this.state = { kind: 'terminated' };
    return [{ type: 'terminated', reason }];
  }
}
