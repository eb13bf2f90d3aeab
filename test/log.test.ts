import { ConsoleLogger, LogLevel } from '@slack/logger';
import { describe, expect, it } from 'vitest';
import { JsonLogger, jsonLogger, processLogger } from '../src/log.js';
import { redactingLogger } from '../src/redacting-logger.js';

/** A JSON logger whose lines are kept, parsed. */
function captured() {
  const lines: Record<string, unknown>[] = [];
  const logger = jsonLogger({ write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('logs', () => {
  it('are JSON lines through pino: level, ISO time, name and message, one object a line', () => {
    const { logger, lines } = captured();
    logger.setName('mesh-help');
    logger.warn('mesh-help: the store', 'is slow', { ms: 12 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', name: 'mesh-help', msg: 'mesh-help: the store is slow {"ms":12}' });
    expect(String(lines[0]?.time)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('follow the level Bolt sets, and an error keeps its stack', () => {
    const { logger, lines } = captured();
    logger.setLevel(LogLevel.WARN);
    expect(logger.getLevel()).toBe('warn');
    logger.info('not shown');
    logger.debug('not shown');
    logger.error(new Error('boom'));
    expect(lines.map((l) => l.level)).toEqual(['error']);
    expect(String(lines[0]?.msg)).toMatch(/^Error: boom\n\s+at /);
  });

  it('never print credentials in a URL, through the redacting wrapper the app puts around them', () => {
    const { logger, lines } = captured();
    redactingLogger(logger).info('calling https://user:s3cret@slack.example/api/chat.postMessage');
    expect(JSON.stringify(lines)).not.toContain('s3cret');
    expect(String(lines[0]?.msg)).toContain('***');
  });

  it('are plain text for a person at a terminal, JSON otherwise; LOG_FORMAT decides when set', () => {
    expect(processLogger(undefined, true)).toBeInstanceOf(ConsoleLogger);
    expect(processLogger(undefined, false)).toBeInstanceOf(JsonLogger);
    expect(processLogger('json', true)).toBeInstanceOf(JsonLogger);
    expect(processLogger('text', false)).toBeInstanceOf(ConsoleLogger);
  });
});
