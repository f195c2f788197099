// Runs a command of the engine's table by name with arguments checked against its description,
// for the WebSocket API and the JSON POST endpoint alike.
import type { EngineCommandResult, HandsetEngine } from './engine.js';

export async function runEngineCommand(engine: HandsetEngine, name: unknown, args: unknown): Promise<EngineCommandResult> {
  if (typeof name !== 'string') return { ok: false, error: 'command name must be a string' };
  const command = engine.commands.find((c) => c.name === name);
  if (command === undefined) return { ok: false, error: `unknown command "${name}"` };
  const given = args === undefined ? {} : args;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) return { ok: false, error: 'args must be an object' };
  const values = given as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (!command.args.some((a) => a.name === key)) return { ok: false, error: `${name} has no argument "${key}"`, field: key };
  }
  for (const a of command.args) {
    const v = values[a.name];
    if (v === undefined) {
      if (a.required) return { ok: false, error: `${a.name} is required`, field: a.name };
    } else if (typeof v !== a.type) {
      return { ok: false, error: `${a.name} must be a ${a.type}`, field: a.name };
    }
  }
  try {
    return await command.run(values);
  } catch (e) {
    return { ok: false, error: `${name} failed: ${(e as Error).message}` };
  }
}

/** The table as the UI sees it (no functions). */
export function describeCommands(engine: HandsetEngine): { name: string; description: string; args: unknown[] }[] {
  return engine.commands.map((c) => ({ name: c.name, description: c.description, args: c.args.map((a) => ({ ...a })) }));
}
