import type { Command } from '../cli/index.js';

/**
 * The command table the `handset` binary offers. Each command's module loads only when that
 * command runs (or help lists them all), so `handset register` does not pay for the web UI.
 */
export const commandLoaders: Readonly<Record<string, () => Promise<Command>>> = {
  register: async () => (await import('./register-command.js')).registerCommand,
  parse: async () => (await import('./parse-command.js')).parseCommand,
  serve: async () => (await import('./serve-command.js')).serveCommand,
  call: async () => (await import('./call-command.js')).callCommand,
  listen: async () => (await import('./listen-command.js')).listenCommand,
};

/** The commands named (all of them when `name` is not in the table, e.g. for help). */
export async function loadCommands(name?: string): Promise<Command[]> {
  const one = name === undefined ? undefined : commandLoaders[name];
  return Promise.all(one ? [one()] : Object.values(commandLoaders).map((load) => load()));
}
