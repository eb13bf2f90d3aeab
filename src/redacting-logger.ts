import type { Logger, LogLevel } from '@slack/bolt';
import { redactCredentials } from './config.js';

const clean = (arg: unknown): unknown =>
  typeof arg === 'string'
    ? redactCredentials(arg)
    : arg instanceof Error
      ? redactCredentials(arg.stack ?? arg.message)
      : typeof arg === 'object' && arg !== null
        ? redactCredentials(safeJson(arg))
        : arg;

function safeJson(value: object): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * A logger that never prints credentials embedded in URLs: the Web API client
 * logs its request URL at debug level, and SLACK_API_URL may carry `user:pass@`.
 */
export function redactingLogger(inner: Logger): Logger {
  return {
    debug: (...msg) => inner.debug(...msg.map(clean)),
    info: (...msg) => inner.info(...msg.map(clean)),
    warn: (...msg) => inner.warn(...msg.map(clean)),
    error: (...msg) => inner.error(...msg.map(clean)),
    setLevel: (level: LogLevel) => inner.setLevel(level),
    getLevel: () => inner.getLevel(),
    setName: (name: string) => inner.setName(name),
  };
}
