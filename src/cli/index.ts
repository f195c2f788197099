// cli/: argument parsing and the command table's terminal face.
export type { Command, CommandIO } from './command.js';
export { runCli } from './run-cli.js';
