// Composition root of the `handset` binary.
import { runCli } from '../cli/index.js';
import { commands } from './commands.js';

const code = await runCli(process.argv.slice(2), commands, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
process.exitCode = code;
