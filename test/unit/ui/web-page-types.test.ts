// The page (src/ui/web) is built by Vite, which strips types without checking them, and the main
// tsconfig excludes it: type-check it here against the DOM lib.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths.js';

test('the web handset type-checks (tsc -p src/ui/web)', () => {
  const root = repoRoot();
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'src/ui/web/tsconfig.json')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
