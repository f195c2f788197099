// RFC 5626 §4.5 flow recovery back-off: wait = min(max-time, base-time × 2^consecutive-failures),
// then a random instant in [50 %, 100 %] of that.

export interface BackoffConfig {
  /** base-time when every flow has failed (RFC 5626 §4.5: 30 s). */
  baseAllFailedMs: number;
  /** base-time when some flows still work (90 s). */
  baseSomeOkMs: number;
  /** max-time (1800 s). */
  maxMs: number;
}

export const defaultBackoff: Readonly<BackoffConfig> = Object.freeze({ baseAllFailedMs: 30_000, baseSomeOkMs: 90_000, maxMs: 1_800_000 });

/** The upper bound of the wait after `failures` consecutive failures (≥ 1). */
export function backoffCeilingMs(failures: number, config: BackoffConfig = defaultBackoff, allFailed = true): number {
  const base = allFailed ? config.baseAllFailedMs : config.baseSomeOkMs;
  // 2^failures overflows nothing before max-time caps it; cap the exponent to stay finite.
  return Math.min(config.maxMs, base * 2 ** Math.min(failures, 30));
}

/** The wait: uniformly drawn in [50 %, 100 %] of the ceiling; `random` gives [0, 1). */
export function backoffDelayMs(failures: number, random: () => number, config: BackoffConfig = defaultBackoff, allFailed = true): number {
  const ceiling = backoffCeilingMs(failures, config, allFailed);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
