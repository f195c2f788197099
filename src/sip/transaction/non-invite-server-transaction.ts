import { assertNever } from '../../util/index.js';
import {
  sixtyFourT1,
  type ServerTransactionEvent,
  type TerminationReason,
  type TimerConfig,
  type TransactionAction,
  type TransactionCore,
} from './transaction-types.js';

/** RFC 3261 §17.2.2. */
export type NonInviteServerState = { kind: 'trying' } | { kind: 'proceeding' } | { kind: 'completed' } | { kind: 'terminated' };

type Event<Req, Res> = ServerTransactionEvent<Req, Res>;
type Actions<Req, Res> = TransactionAction<Req, Res>[];

/** Non-INVITE server transaction (NIST), sans-I/O. */
export class NonInviteServerTransaction<Req, Res> implements TransactionCore<Event<Req, Res>, Req, Res> {
  readonly kind = 'nist';
  private state: NonInviteServerState = { kind: 'trying' };
  private lastResponse: Res | undefined;

  constructor(
    readonly request: Req,
    private readonly timers: TimerConfig,
    private readonly reliable: boolean,
  ) {}

  get stateName(): NonInviteServerState['kind'] {
    return this.state.kind;
  }

  start(): Actions<Req, Res> {
    return [];
  }

  handle(event: Event<Req, Res>): Actions<Req, Res> {
    const s = this.state;
    switch (s.kind) {
      case 'trying':
        // §17.2.2: retransmissions in Trying are discarded.
        return event.type === 'tu-response' ? this.onTuResponse(event.status, event.response) : [];
      case 'proceeding':
      case 'completed':
        return this.inProceedingOrCompleted(s.kind, event);
      case 'terminated':
        return [];
      default:
        return assertNever(s, 'NIST state');
    }
  }

  private inProceedingOrCompleted(kind: 'proceeding' | 'completed', event: Event<Req, Res>): Actions<Req, Res> {
    switch (event.type) {
      case 'request-retransmission':
        // §17.2.2: resend the most recent response (provisional or final).
        return [{ type: 'send-response', response: this.lastResponse as Res }];
      case 'tu-response':
        // §17.2.2: in Completed, further TU responses are discarded.
        return kind === 'proceeding' ? this.onTuResponse(event.status, event.response) : [];
      case 'timer':
        return kind === 'completed' && event.timer === 'J' ? this.terminate('completed') : [];
      case 'transport-error':
        return this.terminate('transport-error');
      case 'ack':
        return [];
      default:
        return assertNever(event, 'NIST event');
    }
  }

  private onTuResponse(status: number, response: Res): Actions<Req, Res> {
    this.lastResponse = response;
    if (status < 200) {
      this.state = { kind: 'proceeding' };
      return [{ type: 'send-response', response }];
    }
    // §17.2.2: final → Completed, Timer J = 64*T1 unreliable, 0 reliable.
    this.state = { kind: 'completed' };
    if (this.reliable) return [{ type: 'send-response', response }, ...this.terminate('completed')];
    return [
      { type: 'send-response', response },
      { type: 'start-timer', timer: 'J', delayMs: sixtyFourT1(this.timers) },
    ];
  }

  private terminate(reason: TerminationReason): Actions<Req, Res> {
    this.state = { kind: 'terminated' };
    return [{ type: 'terminated', reason }];
  }
}
