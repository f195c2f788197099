// `handset listen`: waits for calls (registered when --user/--password are given, else direct
// calls to our address), answers them with --auto-answer, plays/records/DTMFs like `call`, and
// runs until SIGINT/SIGTERM (exit 0) or a failed registration (exit 1).
import type { Command, CommandIO } from '../cli/index.js';
import { ArgumentError, headlessOptions, headlessPhone, registered } from './call-command.js';
import { untilInterrupted } from './until-interrupted.js';

async function listen(values: Record<string, string | boolean | undefined>, io: CommandIO): Promise<number> {
  const h = await headlessPhone('listen', values, io, undefined);
  if (typeof h === 'number') return h;
  h.phone.on('incoming', (call) => {
    h.drive(call);
    // Answered before the event line is written: the 200 leaves first (a stdout write takes time).
    if (values['auto-answer'] === true) call.answer();
    h.emit('incoming', { call: call.id, from: call.remoteUri });
  });
  h.phone.on('refused', (r) => h.emit('refused', { from: r.from, source: r.source, status: r.status, reason: r.reason }));
  if (!(await registered(h, io, 'listen'))) {
    await h.close();
    return 1;
  }
  await untilInterrupted();
  await h.close();
  return 0;
}

export const listenCommand: Command = {
  name: 'listen',
  summary: 'wait for calls (--auto-answer; headless --play/--record WAV, --dtmf, --duration, --json events)',
  usage: 'listen [--user <aor> --password <pw> --proxy <uri>] [--auto-answer] [--play f.wav] [--record f.wav] [--duration s] [--dtmf digits] [--codecs pcmu,pcma,cn] [--srtp off|optional|mandatory] [--listen host:port] [--json]',
  options: { ...headlessOptions, 'auto-answer': { type: 'boolean' } },
  async run({ values }, io) {
    try {
      return await listen(values, io);
    } catch (e) {
      if (e instanceof ArgumentError) {
        io.stderr.write(`handset listen: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  },
};
