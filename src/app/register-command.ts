// `handset register`: registers one account and keeps it registered until SIGINT/SIGTERM (or,
// with --once, registers, reports and unregisters). Composes net + sip, hence it lives in app/;
// the implementation is in register-run.ts.
import type { Command } from '../cli/index.js';

export const registerCommand: Command = {
  name: 'register',
  summary: 'register an account and stay registered until interrupted (--once: register, report, unregister)',
  usage:
    'register --user <sip-uri> --password <pw> [--proxy <sip-uri>] [--transport udp|tcp|tls|ws|wss] [--listen <host:port>] [--once] [--json]' +
    ' [--expires <s>] [--realm <realm>] [--ca <pem-file>] [--pin <sha256>]',
  options: {
    user: { type: 'string' },
    password: { type: 'string' },
    proxy: { type: 'string' },
    transport: { type: 'string' },
    listen: { type: 'string' },
    realm: { type: 'string' },
    expires: { type: 'string' },
    ca: { type: 'string' },
    pin: { type: 'string' },
    once: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values }, io) {
    // Loaded on use: the table stays cheap to import for the other commands.
    const { register, ArgumentError } = await import('./register-run.js');
    try {
      return await register(values, io);
    } catch (e) {
      if (e instanceof ArgumentError) {
        io.stderr.write(`handset register: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  },
};
