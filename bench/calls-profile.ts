// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function (name, file:line),
// the heaviest first, as share of all samples. For bench/calls.ts's CALLS_PROFILE_DIR runs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The newest .cpuprofile in `dir`, or undefined. */
export function newestProfile(dir: string): string | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** Lines "share%  function  file:line" for the `top` functions by self samples. */
export function summarizeProfile(file: string, top = 15): string[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples?: number[] };
  const hits = new Map<number, number>();
  if (p.samples) for (const id of p.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byFn = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const h = p.samples ? (hits.get(n.id) ?? 0) : (n.hitCount ?? 0);
    if (h === 0) continue;
    total += h;
    const f = n.callFrame;
    const where = f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'}  ${where}`;
    byFn.set(key, (byFn.get(key) ?? 0) + h);
  }
  return [...byFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, h]) => `${((h * 100) / total).toFixed(1).padStart(5)} %  ${k}`);
}
