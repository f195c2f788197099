// Figures for the web handset latency benchmarks: a one-line summary of a set of delays, marker
// onsets in PCM, and pairing the instants a marker passed two points of the audio path.

/** `name  median … p95 … max … (n)`; p95 is the nearest-rank value. */
export function latencySummary(name: string, xs: readonly number[], unit = 'frames'): string {
  if (xs.length === 0) return `${name.padEnd(34)} no samples`;
  return `${name.padEnd(34)} median ${quantile(xs, 0.5).toFixed(1)} ms  p95 ${quantile(xs, 0.95).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms  (${xs.length} ${unit})`;
}

export function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
}

/**
 * Finds marker onsets in a stream of PCM: a sample at or above `level` after at least `quietSamples`
 * quieter ones (the markers are loud bursts in silence).
 */
export class OnsetDetector {
  private quiet = 0;

  constructor(private readonly level: number, private readonly quietSamples: number) {}

  /** Index of the first onset in `pcm`, or -1. */
  feed(pcm: ArrayLike<number>): number {
    let found = -1;
    for (let i = 0; i < pcm.length; i++) {
      if (Math.abs(pcm[i]!) < this.level) {
        this.quiet++;
        continue;
      }
      if (found < 0 && this.quiet >= this.quietSamples) found = i;
      this.quiet = 0;
    }
    return found;
  }
}

/**
 * For each instant in `later` (a marker seen downstream), the delay since the last instant in
 * `earlier` (the same marker upstream) not after it and at most `windowMs` before it; markers
 * that find no partner are left out. Both lists are wall-clock ms.
 */
export function pairDelays(earlier: readonly number[], later: readonly number[], windowMs: number): number[] {
  const up = [...earlier].sort((a, b) => a - b);
  const out: number[] = [];
  for (const t of later) {
    let best: number | undefined;
    for (const u of up) if (u <= t && t - u <= windowMs) best = u;
    if (best !== undefined) out.push(t - best);
  }
  return out;
}
