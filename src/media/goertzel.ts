/**
 * Goertzel single-frequency power, and the measurement helpers tests use to prove audio
 * arrived: `detectTone` (power at a frequency against total power) and `crossCorrelation`.
 */

/**
 * Power of `x[start .. start+n)` at `freq`, normalised as a tone's mean power: a sine of
 * amplitude A at exactly `freq` gives A²/2, the same scale as the mean square of the samples.
 */
export function goertzelPower(x: ArrayLike<number>, start: number, n: number, freq: number, sampleRate: number): number {
  if (n <= 0) return 0;
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  const end = start + n;
  for (let i = start; i < end; i++) {
    const s0 = x[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * power) / (n * n);
}

/** Mean square of `x[start .. start+n)`. */
export function meanSquare(x: ArrayLike<number>, start = 0, n = x.length - start): number {
  if (n <= 0) return 0;
  let sum = 0;
  for (let i = start; i < start + n; i++) sum += x[i]! * x[i]!;
  return sum / n;
}

export interface ToneMeasurement {
  /** Goertzel power at the frequency (A²/2 for a sine of amplitude A). */
  readonly power: number;
  /** That power over the signal's mean square: near 1 for a pure tone, near 0 without it. */
  readonly ratio: number;
}

/** How much of `samples` is a tone at `freq`. */
export function detectTone(samples: ArrayLike<number>, sampleRate: number, freq: number): ToneMeasurement {
  const power = goertzelPower(samples, 0, samples.length, freq, sampleRate);
  const total = meanSquare(samples);
  return { power, ratio: total > 0 ? Math.min(1, power / total) : 0 };
}

export interface CorrelationResult {
  /** Shift with the best match: `b[i + lag]` lines up with `a[i]`. */
  readonly lag: number;
  /** Normalised correlation at that lag, -1..1 (1 = same waveform up to a gain). */
  readonly coefficient: number;
}

/**
 * Normalised cross-correlation of `a` against `b` for lags 0..maxLag (b delayed relative to a,
 * as after a transmission path), over the overlapping part.
 */
export function crossCorrelation(a: ArrayLike<number>, b: ArrayLike<number>, maxLag = 0): CorrelationResult {
  let best: CorrelationResult = { lag: 0, coefficient: 0 };
  for (let lag = 0; lag <= maxLag; lag++) {
    const n = Math.min(a.length, b.length - lag);
    if (n <= 0) break;
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      const y = b[i + lag]!;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    const c = aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
    if (c > best.coefficient) best = { lag, coefficient: c };
  }
  return best;
}
