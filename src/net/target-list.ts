// Failover over RFC 3263 targets: the next one after a transport error, a timeout or a 503
// (RFC 3263 §4.3), until the list runs out and the caller backs off and resolves again.
import type { ServerTarget } from './server-location.js';

export type FailoverReason = 'transport-error' | 'timeout' | 'service-unavailable';

/** RFC 3263 §4.3: which outcomes move on to the next target (a 503 response included). */
export function failoverReasonForStatus(status: number): FailoverReason | null {
  return status === 503 ? 'service-unavailable' : null;
}

export class TargetList {
  private index = 0;
  private readonly failures: Array<{ target: ServerTarget; reason: FailoverReason }> = [];

  constructor(private readonly targets: readonly ServerTarget[]) {}

  /** The target to use now; undefined once every target has failed. */
  current(): ServerTarget | undefined {
    return this.targets[this.index];
  }

  /** Records the current target's failure and returns the next one (undefined when exhausted). */
  fail(reason: FailoverReason): ServerTarget | undefined {
    const t = this.targets[this.index];
    if (t) {
      this.failures.push({ target: t, reason });
      this.index++;
    }
    return this.current();
  }

  get exhausted(): boolean {
    return this.index >= this.targets.length;
  }

  get remaining(): number {
    return Math.max(0, this.targets.length - this.index);
  }

  /** What failed so far, in order (for the error the user sees). */
  history(): ReadonlyArray<{ target: ServerTarget; reason: FailoverReason }> {
    return this.failures;
  }

  /** Starts again from the first target (after a backoff, when no fresh DNS answer is wanted). */
  reset(): void {
    this.index = 0;
    this.failures.length = 0;
  }
}
