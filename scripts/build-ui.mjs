// Builds the web handset (src/ui/web) with Vite into build/ui, skipping the work when the output
// is newer than every source. Run by scripts/setup.mjs and by the Chromium tests.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'src/ui/web');
const out = join(root, 'build/ui');

const newest = (p) => (statSync(p).isDirectory() ? Math.max(0, ...readdirSync(p).map((e) => newest(join(p, e)))) : statSync(p).mtimeMs);
const sources = Math.max(newest(web), newest(join(root, 'src/ui/audio-frame.ts')), newest(join(root, 'src/ui/engine.ts')), newest(fileURLToPath(import.meta.url)));
const built = existsSync(join(out, 'index.html')) ? statSync(join(out, 'index.html')).mtimeMs : 0;
if (built > sources && !process.argv.includes('--force')) process.exit(0);

const { build } = await import('vite');
await build({
  root: web,
  base: '/',
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir: out,
    emptyOutDir: true,
    target: 'es2022',
    // Everything as files: the page's CSP allows scripts and styles only from 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
console.log(`web handset built into ${out}`);
