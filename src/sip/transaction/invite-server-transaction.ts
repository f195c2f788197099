import { assertNever } from '../../util/index.js';
import {
  sixtyFourT1,
  type ServerTransactionEvent,
  type TerminationReason,
  type TimerConfig,
  type TransactionAction,
  type TransactionCore,
} from './transaction-types.js';

/** RFC 3261 §17.2.1 with RFC 6026 §7.1 (Accepted state, Timer L). */
export type InviteServerState =
  | { kind: 'proceeding' }
  | { kind: 'completed'; retransmitInterval: number }
  | { kind: 'confirmed' }
  | { kind: 'accepted' }
  | { kind: 'terminated' };

type Event<Req, Res> = ServerTransactionEvent<Req, Res>;
type Actions<Req, Res> = TransactionAction<Req, Res>[];

/**
 * INVITE server transaction (IST), sans-I/O. The 2xx is sent once when the TU gives it; its
 * retransmissions are the TU's job (RFC 6026 §7.1), the Accepted state forwards them.
 */
export class InviteServerTransaction<Req, Res> implements TransactionCore<Event<Req, Res>, Req, Res> {
  readonly kind = 'ist';
  private state: InviteServerState = { kind: 'proceeding' };
  private lastProvisional: Res | undefined;
  private finalResponse: Res | undefined;

  private tryingDue: boolean;

  /**
   * `trying`, when given, builds the 100 Trying. §17.2.1: it is sent unless the TU answers
   * within 200 ms; we wait only for the TU's handling of the request (a 0 ms timer, so a TU
   * answering in that turn sends no 100) and send it at once on an INVITE retransmission.
   */
  constructor(
    readonly request: Req,
    private readonly timers: TimerConfig,
    private readonly reliable: boolean,
    private readonly trying?: () => Res,
  ) {
    this.tryingDue = trying !== undefined;
  }

  get stateName(): InviteServerState['kind'] {
    return this.state.kind;
  }

  start(): Actions<Req, Res> {
    return this.tryingDue ? [{ type: 'start-timer', timer: 'Trying', delayMs: 0 }] : [];
  }

  /** The 100 Trying, now (the TU has not answered yet). */
  private sendTrying(): Actions<Req, Res> {
    this.tryingDue = false;
    const trying = this.trying!();
    this.lastProvisional = trying;
    return [{ type: 'send-response', response: trying }];
  }

  handle(event: Event<Req, Res>): Actions<Req, Res> {
    const s = this.state;
    switch (s.kind) {
      case 'proceeding':
        return this.inProceeding(event);
      case 'completed':
        return this.inCompleted(s, event);
      case 'confirmed':
        // §17.2.1: ACKs and INVITEs absorbed; Timer I ends it.
        return event.type === 'timer' && event.timer === 'I' ? this.terminate('completed') : [];
      case 'accepted':
        return this.inAccepted(event);
      case 'terminated':
        return [];
      default:
        return assertNever(s, 'IST state');
    }
  }

  private inProceeding(event: Event<Req, Res>): Actions<Req, Res> {
    switch (event.type) {
      case 'request-retransmission':
        if (this.tryingDue) return [{ type: 'stop-timer', timer: 'Trying' }, ...this.sendTrying()];
        // §17.2.1: resend the most recent provisional response.
        return this.lastProvisional !== undefined ? [{ type: 'send-response', response: this.lastProvisional }] : [];
      case 'tu-response': {
        const { status, response } = event;
        // §17.2.1: the TU answered first; no 100 from us.
        const out: Actions<Req, Res> = this.tryingDue ? [{ type: 'stop-timer', timer: 'Trying' }] : [];
        this.tryingDue = false;
        if (status < 200) {
          this.lastProvisional = response;
          out.push({ type: 'send-response', response });
          return out;
        }
        if (status < 300) {
          // RFC 6026 §7.1: 2xx → Accepted, Timer L = 64*T1.
          this.state = { kind: 'accepted' };
          out.push({ type: 'send-response', response }, { type: 'start-timer', timer: 'L', delayMs: sixtyFourT1(this.timers) });
          return out;
        }
        // §17.2.1: 300-699 → Completed; Timer G = T1 (unreliable only), Timer H = 64*T1.
        this.finalResponse = response;
        this.state = { kind: 'completed', retransmitInterval: this.timers.t1 };
        out.push({ type: 'send-response', response });
        if (!this.reliable) out.push({ type: 'start-timer', timer: 'G', delayMs: this.timers.t1 });
        out.push({ type: 'start-timer', timer: 'H', delayMs: sixtyFourT1(this.timers) });
        return out;
      }
      case 'transport-error':
        // RFC 6026 §7.1: inform the TU, keep the state so retransmissions are still absorbed.
        return [{ type: 'report-transport-error' }];
      case 'timer':
        return event.timer === 'Trying' && this.tryingDue ? this.sendTrying() : [];
      case 'ack':
        return [];
      default:
        return assertNever(event, 'IST event');
    }
  }

  private inCompleted(s: { retransmitInterval: number }, event: Event<Req, Res>): Actions<Req, Res> {
    switch (event.type) {
      case 'request-retransmission':
        return [{ type: 'send-response', response: this.finalResponse as Res }];
      case 'ack':
        // §17.2.1: ACK → Confirmed, Timer I = T4 (0 on reliable transports).
        this.state = { kind: 'confirmed' };
        if (this.reliable) return [{ type: 'stop-timer', timer: 'H' }, ...this.terminate('completed')];
        return [
          { type: 'stop-timer', timer: 'G' },
          { type: 'stop-timer', timer: 'H' },
          { type: 'start-timer', timer: 'I', delayMs: this.timers.t4 },
        ];
      case 'timer':
        if (event.timer === 'G') {
          // §17.2.1: retransmit the final response, interval doubles up to T2.
          const next = Math.min(s.retransmitInterval * 2, this.timers.t2);
          this.state = { kind: 'completed', retransmitInterval: next };
          return [
            { type: 'send-response', response: this.finalResponse as Res },
            { type: 'start-timer', timer: 'G', delayMs: next },
          ];
        }
        // §17.2.1: Timer H – the ACK never came; inform the TU.
        return event.timer === 'H' ? this.terminate('timeout') : [];
      case 'transport-error':
        return [{ type: 'report-transport-error' }];
      case 'tu-response':
        return [];
      default:
        return assertNever(event, 'IST event');
    }
  }

  private inAccepted(event: Event<Req, Res>): Actions<Req, Res> {
    switch (event.type) {
      case 'request-retransmission':
        return []; // RFC 6026 §7.1: absorbed, not passed to the TU
      case 'ack':
        return [{ type: 'deliver-ack', ack: event.ack }]; // RFC 6026 §7.1: ACKs go to the TU
      case 'tu-response':
        // RFC 6026 §7.1: 2xx retransmissions from the TU are sent.
        return event.status >= 200 && event.status < 300 ? [{ type: 'send-response', response: event.response }] : [];
      case 'timer':
        return event.timer === 'L' ? this.terminate('completed') : [];
      case 'transport-error':
        return [{ type: 'report-transport-error' }];
      default:
        return assertNever(event, 'IST event');
    }
  }

  private terminate(reason: TerminationReason): Actions<Req, Res> {
    this.state = { kind: 'terminated' };
    return [{ type: 'terminated', reason }];
  }
}
