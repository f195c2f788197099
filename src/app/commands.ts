import type { Command } from '../cli/index.js';

/** The command table the `handset` binary offers. */
export const commands: Command[] = [];
