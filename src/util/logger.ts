/** Logging as a port: layers log through it; the app decides where lines go. Never pass secrets. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export const nullLogger: Logger = { log() {} };

const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes one line per entry to a stream (stderr by default) at or above `min`. */
export function streamLogger(min: LogLevel = 'info', out: { write(s: string): unknown } = process.stderr): Logger {
  return {
    log(level, message, fields) {
      if (levels[level] < levels[min]) return;
      out.write(`${new Date().toISOString()} ${level} ${message}${fields ? ' ' + JSON.stringify(fields) : ''}\n`);
    },
  };
}
