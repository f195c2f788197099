/** Result of a pitch search: the best lag in samples and its normalised correlation (-1..1). */
export interface PitchEstimate {
  lag: number;
  correlation: number;
}

/**
 * Finds the lag in [minLag, maxLag] that best predicts the `window` samples ending at `end` from the
 * samples `lag` earlier (normalised cross-correlation). Needs `end - window - maxLag >= 0`; a smaller
 * `maxLag` is used otherwise. Used by packet-loss concealment and time stretching alike.
 */
export function findPitch(x: ArrayLike<number>, end: number, window: number, minLag: number, maxLag: number): PitchEstimate {
  const start = end - window;
  const lagLimit = Math.min(maxLag, start);
  let best: PitchEstimate = { lag: Math.max(minLag, 1), correlation: 0 };
  if (start < 0 || lagLimit < minLag) return best;
  let energyNow = 0;
  for (let i = start; i < end; i++) energyNow += x[i]! * x[i]!;
  if (energyNow === 0) return best;
  let bestScore = -Infinity;
  for (let lag = minLag; lag <= lagLimit; lag++) {
    let cross = 0;
    let energyPast = 0;
    for (let i = start; i < end; i++) {
      const past = x[i - lag]!;
      cross += x[i]! * past;
      energyPast += past * past;
    }
    if (energyPast === 0) continue;
    const score = cross / Math.sqrt(energyNow * energyPast);
    // Prefer the shortest lag among near-equal peaks so multiples of the period lose.
    if (score > bestScore + 1e-3) {
      bestScore = score;
      best = { lag, correlation: score };
    }
  }
  return best;
}

/** Mean energy per sample of x[start, end). */
export function meanEnergy(x: ArrayLike<number>, start: number, end: number): number {
  let e = 0;
  for (let i = start; i < end; i++) e += x[i]! * x[i]!;
  return end > start ? e / (end - start) : 0;
}
