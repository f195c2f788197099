import type { ParseArgsConfig } from 'node:util';

/** Where a command writes: the CLI binds these to stdout/stderr, tests to buffers. */
export interface CommandIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
}

/**
 * One entry of the command table that the CLI (and later the web UI and scripts) render.
 * `run` returns the process exit code.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }, io: CommandIO): Promise<number>;
}
