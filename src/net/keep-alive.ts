// Keep-alive pacing on the injected clock (RFC 5626 §4.4.1): a ping every interval; on stream
// transports a pong must follow within the timeout (10 s by default) or the flow has failed.
import type { Clock, TimerHandle } from '../util/index.js';

/** RFC 5626 §4.4.1: "If a pong is not received within 10 seconds ... the flow has failed". */
export const DEFAULT_PONG_TIMEOUT_MS = 10_000;

export class KeepAliveTimer {
  private intervalTimer: TimerHandle | null = null;
  private pongTimer: TimerHandle | null = null;
  private stopped = false;

  /** `pongTimeoutMs` null: fire-and-forget pings (UDP CRLF keep-alive). */
  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly pongTimeoutMs: number | null,
    private readonly sendPing: () => void,
    private readonly onFailure: () => void,
  ) {
    if (!(intervalMs > 0)) throw new Error(`keep-alive interval must be positive, got ${intervalMs}`);
  }

  start(): void {
    this.schedule();
  }

  /** A pong arrived: the flow is alive. */
  pong(): void {
    if (this.pongTimer) this.clock.clearTimer(this.pongTimer);
    this.pongTimer = null;
  }

  stop(): void {
    this.stopped = true;
    if (this.intervalTimer) this.clock.clearTimer(this.intervalTimer);
    if (this.pongTimer) this.clock.clearTimer(this.pongTimer);
    this.intervalTimer = this.pongTimer = null;
  }

  private schedule(): void {
    this.intervalTimer = this.clock.setTimer(this.intervalMs, () => {
      if (this.stopped) return;
      this.sendPing();
      // One outstanding deadline, counted from the oldest unanswered ping.
      if (this.pongTimeoutMs !== null && !this.pongTimer) {
        this.pongTimer = this.clock.setTimer(this.pongTimeoutMs, () => {
          this.pongTimer = null;
          if (this.stopped) return;
          this.stop();
          this.onFailure();
        });
      }
      if (!this.stopped) this.schedule();
    });
  }
}
