import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Io, run } from '../../src/cli/main.js';
import { progressFile } from '../../src/cli/progress.js';
import { FileStore } from '../../src/store/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A terminal whose lines are scripted (undefined: the input ends, as Ctrl-C or Ctrl-D do). */
function terminal(dataDir: string, lines: (string | undefined)[]) {
  const out: string[] = [];
  const err: string[] = [];
  const prompts: string[] = [];
  const queue = [...lines];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { MESH_HELP_DATA_DIR: dataDir },
    stdinIsTTY: true,
    ask: async (prompt) => {
      prompts.push(prompt);
      return queue.length ? queue.shift() : undefined;
    },
    now: () => new Date('2026-11-25T12:00:00Z'),
    osUser: () => 'ada',
  };
  return { io, out, err, prompts, left: () => queue.length };
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-resume-'));
  dirs.push(dir);
  const data = join(dir, 'data');
  return { data, doc: () => new FileStore(data).read('local') };
}

/** Enough Enter presses (defaults) to finish any interview. */
const DEFAULTS = Array.from({ length: 30 }, () => '');

describe('resuming an interrupted terminal interview', () => {
  it('keeps the answers of an interview cut off, offers to resume it, and ends with them in the record', async () => {
    const t = setup();
    // clusters: 3 = multi-region, then the fleet's default, then the input ends.
    const first = terminal(t.data, ['3', '', undefined]);
    expect(await run(['interview'], first.io)).toBe(1);
    expect(first.err.join('\n')).toContain('your 2 answers are kept: `mesh-help interview` resumes it.');
    expect(existsSync(progressFile(t.data, 'local'))).toBe(true);
    expect((await t.doc()).decisions).toEqual([]);

    const second = terminal(t.data, ['y', ...DEFAULTS]);
    expect(await run(['interview'], second.io)).toBe(0);
    expect(second.prompts[0]).toMatch(
      /^An interview of team local was left unfinished \(2 answers, 2026-11-25 12:00 UTC\)\. Resume it\? \[Y\/n\] $/,
    );
    expect(second.out.join('\n')).toContain('Resuming: 2 answers kept.');
    // The first question is not asked again.
    expect(second.out.join('\n')).not.toMatch(/Question 1 of/);
    const [session] = (await t.doc()).sessions;
    expect(session?.answers.clusters).toBe('multi-region');
    expect((await t.doc()).decisions).toHaveLength(1);
    // Saved as a record: nothing is left to resume.
    expect(existsSync(progressFile(t.data, 'local'))).toBe(false);
  });

  it('--resume takes it without asking; "n" and --fresh start again', async () => {
    const t = setup();
    await run(['interview'], terminal(t.data, ['3', undefined]).io);
    const resumed = terminal(t.data, DEFAULTS);
    expect(await run(['interview', '--resume'], resumed.io)).toBe(0);
    expect(resumed.prompts.some((p) => p.includes('Resume it?'))).toBe(false);
    expect((await t.doc()).sessions[0]?.answers.clusters).toBe('multi-region');

    for (const how of [['interview'], ['interview', '--fresh']]) {
      await run(['interview'], terminal(t.data, ['3', undefined]).io);
      const fresh = terminal(t.data, how.length === 1 ? ['n', ...DEFAULTS] : DEFAULTS);
      expect(await run(how, fresh.io)).toBe(0);
      expect(fresh.out.join('\n')).toMatch(/Question 1 of/);
      expect((await t.doc()).sessions.at(-1)?.answers.clusters).toBe('one');
    }
  });

  it('b (back) after resuming goes to the question answered last before the cut', async () => {
    const t = setup();
    await run(['interview'], terminal(t.data, ['3', '2', undefined]).io);
    const saved = JSON.parse(readFileSync(progressFile(t.data, 'local'), 'utf8'));
    expect(saved).toMatchObject({ version: 1, team: 'local', asked: ['clusters', 'fleet'] });
    expect(saved.answers).toMatchObject({ clusters: 'multi-region', fleet: '6-50' });
    const back = terminal(t.data, ['b', undefined]);
    expect(await run(['interview', '--resume'], back.io)).toBe(1);
    const after = JSON.parse(readFileSync(progressFile(t.data, 'local'), 'utf8'));
    expect(after.asked).toEqual(['clusters']);
    expect(after.answers.fleet).toBeUndefined();
  });

  it('refuses --resume with nothing to resume, and a damaged save with a clear message, changing nothing', async () => {
    const t = setup();
    const none = terminal(t.data, DEFAULTS);
    expect(await run(['interview', '--resume'], none.io)).toBe(2);
    expect(none.err.join('\n')).toContain('team local has no unfinished interview to resume.');
    expect(await run(['interview', '--resume', '--fresh'], terminal(t.data, []).io)).toBe(2);

    await run(['interview'], terminal(t.data, ['3', undefined]).io);
    writeFileSync(progressFile(t.data, 'local'), '{"version": 1, "team": "local"');
    const damaged = terminal(t.data, DEFAULTS);
    expect(await run(['interview', '--resume'], damaged.io)).toBe(2);
    expect(damaged.err.join('\n')).toMatch(/nothing to resume: .*local\.interview\.json is not valid JSON/);
    expect((await t.doc()).decisions).toEqual([]);
    // Without --resume, it says so and starts afresh.
    const afresh = terminal(t.data, DEFAULTS);
    expect(await run(['interview'], afresh.io)).toBe(0);
    expect(afresh.err.join('\n')).toContain('starting afresh');
  });
});
