import type { Command } from '../cli/index.js';
import { registerCommand } from './register-command.js';

/** The command table the `handset` binary offers. */
export const commands: Command[] = [registerCommand];
