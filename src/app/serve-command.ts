// `handset serve`: the engine plus the web handset on http://127.0.0.1:<port>/ (and [::1]).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../cli/index.js';
import { DEFAULT_UI_PORT, loadOrCreateToken, PortInUseError, startHandsetServer } from '../ui/index.js';
import { defaultDataDir } from './data-dir.js';
import { LocalHandsetEngine } from './local-engine.js';
import { createWsUpgrade } from './ws-upgrade.js';

/** The checkout or package root (holds package.json), where Vite puts build/ui. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: `start the web handset on 127.0.0.1 and ::1 (default port ${DEFAULT_UI_PORT}) and print the address to open`,
  usage: 'serve [--port <n>] [--data-dir <dir>]',
  options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
  async run({ values }, io) {
    const port = values['port'] === undefined ? DEFAULT_UI_PORT : Number(values['port']);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`handset serve: --port: "${values['port']}" is not a port number (0-65535)\n`);
      return 2;
    }
    const dataDir = (values['data-dir'] as string | undefined) ?? defaultDataDir(io.env);
    const staticDir = join(packageRoot(), 'build', 'ui');
    if (!existsSync(join(staticDir, 'index.html'))) io.stderr.write(`handset serve: the web handset is not built (${staticDir}); run \`npm run setup\`\n`);
    const engine = new LocalHandsetEngine();
    let server;
    try {
      server = await startHandsetServer({ engine, token: loadOrCreateToken(dataDir), staticDir, port, upgrade: createWsUpgrade() });
    } catch (e) {
      io.stderr.write(`handset serve: ${e instanceof PortInUseError ? e.message : `cannot listen: ${(e as Error).message}`}\n`);
      return 1;
    }
    io.stdout.write(`Handset is running on ${server.addresses.map((a) => (a.includes(':') ? `[${a}]` : a)).join(' and ')} port ${server.port}.\nOpen ${server.openUrl}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    await engine.close();
    return 0;
  },
};
