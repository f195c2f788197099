// The per-install secret that opens the web handset. Kept in the data folder, readable only by
// the user (0600); created on first use.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_FILE = 'ui-token';

/** Reads the token from `dataDir`, creating the folder (0700) and the file (0600) when missing. */
export function loadOrCreateToken(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, TOKEN_FILE);
  let token: string | undefined;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (token === undefined || !/^[A-Za-z0-9_-]{32,}$/.test(token)) {
    token = randomBytes(32).toString('base64url');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
  }
  // A file copied in with looser rights is tightened rather than trusted as is.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return token;
}
