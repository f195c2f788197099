// Composition root of the `handset` binary.
import { runCli } from '../cli/index.js';
import { loadCommands } from './commands.js';

const argv = process.argv.slice(2);
const code = await runCli(argv, await loadCommands(argv[0]), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
process.exitCode = code;
