import { assertNever } from '../../util/index.js';
import {
  sixtyFourT1,
  type ClientTransactionEvent,
  type TerminationReason,
  type TimerConfig,
  type TransactionAction,
  type TransactionCore,
} from './transaction-types.js';

/** RFC 3261 §17.1.2. */
export type NonInviteClientState =
  | { kind: 'trying'; retransmitInterval: number }
  | { kind: 'proceeding' }
  | { kind: 'completed' }
  | { kind: 'terminated' };

type Event<Res> = ClientTransactionEvent<Res>;
type Actions<Req, Res> = TransactionAction<Req, Res>[];

/** Non-INVITE client transaction (NICT), sans-I/O. */
export class NonInviteClientTransaction<Req, Res> implements TransactionCore<Event<Res>, Req, Res> {
  readonly kind = 'nict';
  private state: NonInviteClientState = { kind: 'trying', retransmitInterval: 0 };

  constructor(
    readonly request: Req,
    private readonly timers: TimerConfig,
    private readonly reliable: boolean,
  ) {}

  get stateName(): NonInviteClientState['kind'] {
    return this.state.kind;
  }

  start(): Actions<Req, Res> {
    // §17.1.2.2: send, Timer E = T1 (unreliable only), Timer F = 64*T1.
    this.state = { kind: 'trying', retransmitInterval: this.timers.t1 };
    const out: Actions<Req, Res> = [{ type: 'send-request', request: this.request }];
    if (!this.reliable) out.push({ type: 'start-timer', timer: 'E', delayMs: this.timers.t1 });
    out.push({ type: 'start-timer', timer: 'F', delayMs: sixtyFourT1(this.timers) });
    return out;
  }

  handle(event: Event<Res>): Actions<Req, Res> {
    const s = this.state;
    switch (s.kind) {
      case 'trying':
        return this.inTrying(s, event);
      case 'proceeding':
        return this.inProceeding(event);
      case 'completed':
        // §17.1.2.2: retransmitted finals are absorbed; Timer K ends it.
        return event.type === 'timer' && event.timer === 'K' ? this.terminate('completed') : [];
      case 'terminated':
        return [];
      default:
        return assertNever(s, 'NICT state');
    }
  }

  private inTrying(s: { retransmitInterval: number }, event: Event<Res>): Actions<Req, Res> {
    switch (event.type) {
      case 'timer':
        if (event.timer === 'E') {
          // §17.1.2.2: interval doubles, capped at T2.
          const next = Math.min(s.retransmitInterval * 2, this.timers.t2);
          this.state = { kind: 'trying', retransmitInterval: next };
          return [
            { type: 'send-request', request: this.request },
            { type: 'start-timer', timer: 'E', delayMs: next },
          ];
        }
        return event.timer === 'F' ? this.terminate('timeout') : [];
      case 'response':
        return this.onResponse(event.status, event.response);
      case 'transport-error':
        return this.terminate('transport-error');
      default:
        return assertNever(event, 'NICT event');
    }
  }

  private inProceeding(event: Event<Res>): Actions<Req, Res> {
    switch (event.type) {
      case 'timer':
        // §17.1.2.2: in Proceeding, Timer E retransmits every T2.
        if (event.timer === 'E') {
          return [
            { type: 'send-request', request: this.request },
            { type: 'start-timer', timer: 'E', delayMs: this.timers.t2 },
          ];
        }
        return event.timer === 'F' ? this.terminate('timeout') : [];
      case 'response':
        return this.onResponse(event.status, event.response);
      case 'transport-error':
        return this.terminate('transport-error');
      default:
        return assertNever(event, 'NICT event');
    }
  }

  private onResponse(status: number, response: Res): Actions<Req, Res> {
    if (status < 200) {
      this.state = { kind: 'proceeding' };
      return [{ type: 'deliver-response', response }];
    }
    // §17.1.2.2: final → Completed, pass up, Timer K = T4 (0 on reliable transports).
    this.state = { kind: 'completed' };
    const out: Actions<Req, Res> = [
      { type: 'stop-timer', timer: 'E' },
      { type: 'stop-timer', timer: 'F' },
      { type: 'deliver-response', response },
    ];
    if (this.reliable) return [...out, ...this.terminate('completed')];
    return [...out, { type: 'start-timer', timer: 'K', delayMs: this.timers.t4 }];
  }

  private terminate(reason: TerminationReason): Actions<Req, Res> {
    this.state = { kind: 'terminated' };
    return [{ type: 'terminated', reason }];
  }
}
