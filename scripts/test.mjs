// `npm test`: import-direction lint, then every compiled test file under build/test with node's runner.
// Optional arguments narrow the run to folders or files below build/test (e.g. `unit/sip`).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lint = spawnSync(process.execPath, [join(root, 'scripts/check-imports.mjs')], { cwd: root, stdio: 'inherit' });
if (lint.status !== 0) process.exit(lint.status ?? 1);

const collect = (p, out) => {
  if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) collect(join(p, e), out);
  else if (p.endsWith('.test.js')) out.push(p);
  return out;
};
const targets = process.argv.slice(2);
const files = (targets.length ? targets : ['']).flatMap((t) => collect(join(root, 'build/test', t), []));
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
