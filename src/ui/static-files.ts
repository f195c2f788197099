// Serves the built web handset (Vite output) from one folder; no directory listings, no paths
// outside it, a short list of known types.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wav': 'audio/wav',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/** The file for a URL path, or undefined (missing, outside the folder, or an unknown type). */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const full = normalize(join(root, path));
  if (!full.startsWith(normalize(root) + sep)) return undefined;
  const type = TYPES[extname(full)];
  if (type === undefined) return undefined;
  try {
    return { body: await readFile(full), type };
  } catch {
    return undefined;
  }
}
