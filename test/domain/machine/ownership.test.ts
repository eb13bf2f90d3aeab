import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The state machine owns every status: no module outside src/domain/machine
 * may set a session's or a record's status, by assignment or by writing one
 * into an object. A new code path that needs a status change adds an event.
 */
const ROOT = join(import.meta.dirname, '../../..');
const MACHINE = 'src/domain/machine/';
const STATUSES = [
  'open',
  'complete',
  'decided',
  'abandoned',
  'proposed',
  'accepted',
  'rejected',
  'deprecated',
  'superseded',
];

/** The one other `status` property the sources assign: the org log's filter (`decisions all status:accepted`). */
const NOT_A_STATUS = [/\bfilters\.status\s*=/];

const SETS = [
  // session.status = 'decided', s['status'] = x, Object.assign(s, { status })…
  /\.status\s*=(?!=)/,
  /\[\s*['"]status['"]\s*\]\s*=(?!=)/,
  new RegExp(`\\bstatus\\s*:\\s*['"](${STATUSES.join('|')})['"]`),
  /delete\s+[\w.]+\.status\b/,
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Lines outside the state machine that set a status. */
function offenders(files: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const rel = relative(ROOT, file);
    if (rel.startsWith(MACHINE)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim().startsWith('//') || line.trim().startsWith('*')) return;
        if (NOT_A_STATUS.some((r) => r.test(line))) return;
        if (SETS.some((r) => r.test(line))) found.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

describe('who changes a status', () => {
  it('only src/domain/machine sets a session or record status', () => {
    expect(offenders(sources(join(ROOT, 'src')))).toEqual([]);
  });

  it('the check catches the ways a status is set (so the test above could fail)', () => {
    const lines = [
      "session.status = 'decided';",
      "x['status'] = 'open';",
      "Object.assign(d, { status: 'accepted' });",
      'delete s.status;',
    ];
    for (const line of lines)
      expect(
        SETS.some((r) => r.test(line)),
        line,
      ).toBe(true);
    expect(SETS.some((r) => r.test("if (s.status === 'open') return;"))).toBe(false);
  });

  it('the machine itself does set statuses (the scan reads the right folder)', () => {
    const machine = sources(join(ROOT, MACHINE)).map((f) => readFileSync(f, 'utf8'));
    expect(machine.some((text) => SETS.some((r) => text.split('\n').some((l) => r.test(l))))).toBe(true);
  });
});
