// Shared benchmark helpers: the repo root (found from this file, no absolute paths) and a
// time-bounded throughput loop.

export { repoRoot, sharedDir as sharedPath } from '../test/support/paths.js';

export interface BenchCase {
  name: string;
  inputs: readonly unknown[];
  fn: (x: unknown) => unknown;
}

/** A case running `fn` over `inputs` round-robin. */
export function benchCase<T>(name: string, inputs: readonly T[], fn: (x: T) => unknown): BenchCase {
  return { name, inputs, fn: fn as (x: unknown) => unknown };
}

let sink = 0;

/**
 * Runs `fn` over `inputs` round-robin for about `ms` milliseconds (after a warm-up) and
 * returns operations per second of wall time (for quick single measurements).
 */
export function throughput<T>(inputs: readonly T[], fn: (x: T) => unknown, ms = 1000): number {
  const c = benchCase('', inputs, fn);
  runFor(c, ms / 4);
  const start = performance.now();
  const ops = runFor(c, ms);
  return (ops * 1000) / (performance.now() - start);
}

function runFor(c: BenchCase, ms: number): number {
  let ops = 0;
  const end = performance.now() + ms;
  do {
    for (const x of c.inputs) sink ^= c.fn(x) === undefined ? 0 : 1;
    ops += c.inputs.length;
  } while (performance.now() < end);
  return ops;
}

/**
 * Operations per second of CPU time for each case. The cases run interleaved in short slices
 * (after a warm-up each) and time is the process's CPU time, so load from other processes on
 * the machine shifts every case alike instead of whichever ran at the wrong moment.
 */
export function compareThroughput(cases: readonly BenchCase[], totalMs = 6000, sliceMs = 50): Map<string, number> {
  const all = cases;
  for (const c of all) runFor(c, 300);
  const ops = new Map<string, number>();
  const cpu = new Map<string, number>();
  const rounds = Math.max(1, Math.round(totalMs / (sliceMs * all.length)));
  for (let r = 0; r < rounds; r++) {
    for (const c of all) {
      const c0 = process.cpuUsage();
      const n = runFor(c, sliceMs);
      const d = process.cpuUsage(c0);
      ops.set(c.name, (ops.get(c.name) ?? 0) + n);
      cpu.set(c.name, (cpu.get(c.name) ?? 0) + (d.user + d.system) / 1e6);
    }
  }
  if (sink === 42) process.stdout.write('');
  return new Map(all.map((c) => [c.name, ops.get(c.name)! / cpu.get(c.name)!]));
}

export function fmtRate(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(12);
}
