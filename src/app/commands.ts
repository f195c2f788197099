import type { Command } from '../cli/index.js';
import { registerCommand } from './register-command.js';
import { parseCommand } from './parse-command.js';
import { serveCommand } from './serve-command.js';
import { callCommand } from './call-command.js';
import { listenCommand } from './listen-command.js';

/** The command table the `handset` binary offers. */
export const commands: Command[] = [registerCommand, parseCommand, serveCommand, callCommand, listenCommand];
