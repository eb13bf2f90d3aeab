import { ConsoleLogger, type Logger, LogLevel } from '@slack/logger';
import pino from 'pino';

/** Bolt's log levels are pino's names too. */
const LEVELS = new Set<string>(Object.values(LogLevel));

/** One log line's text from Bolt-style arguments: strings as they are, errors with their stack, the rest as JSON. */
function text(args: unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      if (a instanceof Error) return a.stack ?? a.message;
      try {
        return JSON.stringify(a);
      } catch {
        return String(a);
      }
    })
    .join(' ');
}

/** A Bolt logger writing JSON lines through pino: one object a line, with `level`, `time`, `name` and `msg`. */
export class JsonLogger implements Logger {
  private name = 'mesh-help';

  constructor(private readonly out: pino.Logger) {}

  debug(...msg: unknown[]): void {
    this.out.debug({ name: this.name }, text(msg));
  }
  info(...msg: unknown[]): void {
    this.out.info({ name: this.name }, text(msg));
  }
  warn(...msg: unknown[]): void {
    this.out.warn({ name: this.name }, text(msg));
  }
  error(...msg: unknown[]): void {
    this.out.error({ name: this.name }, text(msg));
  }
  setLevel(level: LogLevel): void {
    if (LEVELS.has(level)) this.out.level = level;
  }
  getLevel(): LogLevel {
    return this.out.level as LogLevel;
  }
  setName(name: string): void {
    this.name = name;
  }
}

/** pino writing to a file descriptor synchronously: a line is out before a crash, and fields that carry secrets are censored. */
export function jsonLogger(dest: number | pino.DestinationStream = 2): JsonLogger {
  return new JsonLogger(
    pino(
      {
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: ['token', 'authorization', 'headers.authorization', '*.token'], censor: '***' },
      },
      typeof dest === 'number' ? pino.destination({ dest, sync: true }) : dest,
    ),
  );
}

/**
 * The bot's logger: plain text when a person reads the terminal, JSON lines (pino) for a log collector
 * otherwise. `LOG_FORMAT=json|text` (the config's `logFormat`) decides instead.
 */
export function processLogger(format?: 'json' | 'text', tty = Boolean(process.stderr.isTTY)): Logger {
  return (format ?? (tty ? 'text' : 'json')) === 'json' ? jsonLogger() : new ConsoleLogger();
}
