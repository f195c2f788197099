import type { Clock, TimerHandle } from '../../util/index.js';
import type { TimerName, TransactionAction, TransactionCore } from './transaction-types.js';

/** The actions a runner hands on: everything except timer bookkeeping. */
export type TransactionOutput<Req, Res> = Exclude<TransactionAction<Req, Res>, { type: 'start-timer' } | { type: 'stop-timer' }>;

/**
 * Binds a sans-I/O transaction core to a `Clock`: runs its timers and hands every other action
 * to `emit`. Timer firings are fed back into the core as `{ type: 'timer' }` events.
 */
export class TransactionRunner<E, Req, Res> {
  private readonly timers = new Map<TimerName, TimerHandle>();
  private done = false;

  constructor(
    readonly core: TransactionCore<E, Req, Res>,
    private readonly clock: Clock,
    private readonly emit: (action: TransactionOutput<Req, Res>) => void,
  ) {}

  get terminated(): boolean {
    return this.done;
  }

  start(): void {
    this.apply(this.core.start());
  }

  handle(event: E): void {
    if (!this.done) this.apply(this.core.handle(event));
  }

  /** Stops every timer without emitting anything (stack shutdown). */
  dispose(): void {
    for (const h of this.timers.values()) this.clock.clearTimer(h);
    this.timers.clear();
    this.done = true;
  }

  private apply(actions: TransactionAction<Req, Res>[]): void {
    for (const a of actions) {
      if (a.type === 'start-timer') {
        const old = this.timers.get(a.timer);
        if (old) this.clock.clearTimer(old);
        const timer = a.timer;
        this.timers.set(
          timer,
          this.clock.setTimer(a.delayMs, () => {
            this.timers.delete(timer);
            // Timer events are shaped alike for client and server cores.
            this.handle({ type: 'timer', timer } as E);
          }),
        );
      } else if (a.type === 'stop-timer') {
        const h = this.timers.get(a.timer);
        if (h) this.clock.clearTimer(h);
        this.timers.delete(a.timer);
      } else {
        if (a.type === 'terminated') this.dispose();
        this.emit(a);
      }
    }
  }
}
