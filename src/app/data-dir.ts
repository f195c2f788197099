// Where Handset keeps its files when --data-dir is not given (XDG Base Directory spec).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: Record<string, string | undefined>): string {
  const xdg = env['XDG_DATA_HOME'];
  return join(xdg !== undefined && xdg.startsWith('/') ? xdg : join(homedir(), '.local', 'share'), 'handset');
}
