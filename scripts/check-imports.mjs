// Enforces the architecture's import rules on src/ (docs/architecture.md):
// - a layer imports only the layers listed for it below;
// - across layers, only a layer's index.ts is imported (no deep imports);
// - only net/, nat/, media/ and app/ touch sockets, processes or `ws`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

export const allowed = {
  util: [],
  net: ['util'],
  nat: ['util', 'net'],
  sip: ['util', 'net', 'nat'],
  sdp: ['util'],
  rtp: ['util'],
  codecs: ['util'],
  media: ['util', 'net', 'nat', 'rtp', 'codecs'],
  store: ['util'],
  config: ['util'],
  phone: ['util', 'net', 'nat', 'sip', 'sdp', 'rtp', 'codecs', 'media', 'store', 'config'],
  ui: ['phone', 'config', 'util'],
  cli: ['phone', 'config', 'util'],
  app: ['*'],
};
const ioModules = new Set(['node:dgram', 'node:net', 'node:tls', 'node:child_process', 'dgram', 'net', 'tls', 'child_process', 'ws']);
const ioLayers = new Set(['net', 'nat', 'media', 'app']);

const files = [];
const walk = (p) => {
  if (statSync(p).isDirectory()) {
    for (const e of readdirSync(p)) if (e !== 'web' || relative(src, p) !== 'ui') walk(join(p, e));
  } else if (p.endsWith('.ts')) files.push(p);
};
walk(src);

const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const problems = [];
for (const file of files) {
  const rel = relative(src, file).split(sep);
  const layer = rel.length > 1 ? rel[0] : 'root';
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const where = `${relative(root, file)}: imports '${spec}'`;
    if (!spec.startsWith('.')) {
      if (ioModules.has(spec) && !ioLayers.has(layer) && layer !== 'root') problems.push(`${where} (only net/, nat/, media/, app/ do I/O)`);
      continue;
    }
    const target = relative(src, resolve(dirname(file), spec)).split(sep);
    if (target[0] === '..') { problems.push(`${where} (outside src/)`); continue; }
    const tLayer = target.length > 1 ? target[0] : 'root';
    if (tLayer === layer || layer === 'root') continue;
    const ok = allowed[layer]?.includes('*') || allowed[layer]?.includes(tLayer);
    if (!ok) problems.push(`${where} (${layer}/ may not import ${tLayer}/)`);
    else if (!(target.length === 2 && /^index\.(js|ts)$/.test(target[1]))) problems.push(`${where} (import ${tLayer}/index.js, not a deep path)`);
  }
}
if (problems.length) {
  console.error(`Import rules broken (see docs/architecture.md):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`import rules: ${files.length} files checked, all edges allowed`);
