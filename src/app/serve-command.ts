// `handset serve`: a Phone (with the account of --user/--password/--proxy, or for direct calls
// without one) behind the web handset on http://127.0.0.1:<port>/ (and [::1]).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../cli/index.js';
import { hostForUri } from '../sip/index.js';
import { DEFAULT_UI_PORT, loadOrCreateToken, PortInUseError, startHandsetServer } from '../ui/index.js';
import { defaultDataDir } from './data-dir.js';
import { ArgumentError, headlessOptions, headlessPhone } from './call-command.js';
import { PhoneHandsetEngine } from './phone-engine.js';
import { createWsUpgrade } from './ws-upgrade.js';
import { untilInterrupted } from './until-interrupted.js';

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
  usage: 'serve [--port <n>] [--data-dir <dir>] [--user <aor> --password <pw> --proxy <uri>] [--listen host:port] [--codecs pcmu,pcma,cn] [--srtp off|optional|mandatory]',
  options: {
    port: { type: 'string' }, 'data-dir': { type: 'string' },
    user: headlessOptions.user, password: headlessOptions.password, proxy: headlessOptions.proxy,
    listen: headlessOptions.listen, codecs: headlessOptions.codecs, srtp: headlessOptions.srtp,
  },
  async run({ values }, io) {
    const port = values['port'] === undefined ? DEFAULT_UI_PORT : Number(values['port']);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`handset serve: --port: "${values['port']}" is not a port number (0-65535)\n`);
      return 2;
    }
    const dataDir = (values['data-dir'] as string | undefined) ?? defaultDataDir(io.env);
    const staticDir = join(packageRoot(), 'build', 'ui');
    if (!existsSync(join(staticDir, 'index.html'))) io.stderr.write(`handset serve: the web handset is not built (${staticDir}); run \`npm run setup\`\n`);
    // Without an account the phone takes direct calls on loopback only, unless --listen says otherwise.
    const phoneValues = { ...values, 'data-dir': dataDir } as Record<string, string | boolean | undefined>;
    if (values['user'] === undefined && values['proxy'] === undefined && values['listen'] === undefined) phoneValues['listen'] = '127.0.0.1:0';
    let sipAddress = '';
    const phoneIo = { ...io, stdout: { write: (line: string) => void (sipAddress ||= /address=(\S+)/.exec(line)?.[1] ?? '') } };
    let h;
    try {
      h = await headlessPhone('serve', phoneValues, phoneIo, undefined);
    } catch (e) {
      if (!(e instanceof ArgumentError)) throw e;
      io.stderr.write(`handset serve: ${e.message}\n`);
      return 2;
    }
    if (typeof h === 'number') return h;
    // Accounts added, edited and removed in the page act on this phone while it runs.
    const engine = new PhoneHandsetEngine({ phone: h.phone, dataDir });
    h.phone.start();
    let server;
    try {
      server = await startHandsetServer({ engine, token: loadOrCreateToken(dataDir), staticDir, port, upgrade: createWsUpgrade() });
    } catch (e) {
      io.stderr.write(`handset serve: ${e instanceof PortInUseError ? e.message : `cannot listen: ${(e as Error).message}`}\n`);
      await engine.close();
      await h.close();
      return 1;
    }
    const account = h.phone.account ? `account ${h.phone.account.settings.aor}` : 'no account (direct calls: dial sip:user@host)';
    io.stdout.write(`Handset is running on ${server.addresses.map(hostForUri).join(' and ')} port ${server.port}.\nOpen ${server.openUrl}\nSIP on ${sipAddress}, ${account}; dial *43 for the echo test.\n`);
    await untilInterrupted();
    await server.close();
    await engine.close();
    await h.close();
    return 0;
  },
};
