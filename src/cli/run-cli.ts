import { parseArgs } from 'node:util';
import type { Command, CommandIO } from './command.js';

function usage(commands: readonly Command[]): string {
  const lines = commands.map((c) => `  ${c.usage.padEnd(44)} ${c.summary}`);
  return `usage: handset <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

/** Parses argv for one command of the table and runs it; returns the exit code. */
export async function runCli(argv: readonly string[], commands: readonly Command[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`handset: unknown command '${name}'\n${usage(commands)}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
  } catch (e) {
    io.stderr.write(`handset ${name}: ${(e as Error).message}\nusage: handset ${command.usage}\n`);
    return 2;
  }
  return command.run({ values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals }, io);
}
