import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/**
 * Compiles a C test harness from test/fixtures with the system compiler (once per process).
 * Returns the binary's path, or a reason to skip when the compiler or the library is missing.
 */
const built = new Map<string, { path?: string; skip?: string }>();

export function buildHarness(source: string, libs: string[], header: string): { path?: string; skip?: string } {
  const cached = built.get(source);
  if (cached) return cached;
  let result: { path?: string; skip?: string };
  if (!existsSync(header)) result = { skip: `${header} not installed (Debian package needed; .ci/run installs it)` };
  else {
    const out = join(mkdtempSync(join(tmpdir(), 'handset-harness-')), 'harness');
    const cc = spawnSync('cc', ['-O1', '-o', out, join(repoRoot(), 'test/fixtures', source), ...libs.map((l) => `-l${l}`)], { encoding: 'utf8' });
    result = cc.status === 0 ? { path: out } : { skip: `cannot compile ${source}: ${cc.error?.message ?? cc.stderr}` };
  }
  built.set(source, result);
  return result;
}
