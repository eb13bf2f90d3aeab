import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAdrRef } from '../../src/cli/decide.js';
import { actorName, osUserName } from '../../src/cli/identity.js';
import { type Io, run } from '../../src/cli/main.js';
import { FileStore } from '../../src/store/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A CLI with its own data folder, an OS user named ada, and what it printed. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-decide-'));
  dirs.push(dir);
  const answers = join(dir, 'answers.json');
  writeFileSync(answers, JSON.stringify({ clusters: 'one' }));
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { MESH_HELP_DATA_DIR: join(dir, 'data') },
    stdinIsTTY: false,
    now: () => new Date('2026-11-25T12:00:00Z'),
    osUser: () => 'ada',
  };
  const teamFile = (team = 'local') => join(dir, 'data', 'teams', `${team}.json`);
  const doc = (team = 'local') => new FileStore(join(dir, 'data')).read(team);
  const cli = async (...argv: string[]) => {
    out.length = 0;
    err.length = 0;
    return run(argv, io);
  };
  return { dir, answers, io, out, err, cli, doc, teamFile };
}

describe('mesh-help decide', () => {
  it('accepts a proposed record later, without the interview again, credited to the OS user', async () => {
    const t = setup();
    expect(await t.cli('interview', '--answers', t.answers)).toBe(0);
    expect(t.out.join('\n')).toContain('Accept it later with `mesh-help decide accept ADR-0001`');
    expect(await t.cli('decide', 'accept', 'ADR-0001')).toBe(0);
    expect(t.out).toEqual([expect.stringMatching(/^ADR-0001 ".+" is accepted, by ada\.$/)]);
    const d = (await t.doc()).decisions[0];
    expect(d).toMatchObject({ status: 'accepted', decidedBy: 'ada', decidedByName: 'ada' });
    expect(d?.revisitOn).toMatch(/^2027-/);
    expect(d?.history.at(-1)).toMatchObject({ to: 'accepted', byName: 'ada', note: 'accepted from the terminal' });
    // Nothing of the record was ever in Slack: no note about it.
    expect(t.err).toEqual([]);
  });

  it('walks the whole life cycle: deprecate, reopen, reject, each one through the state machine', async () => {
    const t = setup();
    await t.cli('interview', '--answers', t.answers, '--accept');
    expect(await t.cli('decide', 'deprecate', '1', '--by', 'Grace Hopper')).toBe(0);
    expect(await t.cli('decide', 'reopen', 'adr-1')).toBe(0);
    expect((await t.doc()).decisions[0]?.status).toBe('proposed');
    expect(await t.cli('decide', 'reject', 'ADR-1')).toBe(0);
    const history = (await t.doc()).decisions[0]?.history.map((h) => [h.to, h.byName, h.note]);
    expect(history).toEqual([
      ['proposed', 'ada', undefined],
      ['accepted', 'ada', undefined],
      ['deprecated', 'Grace Hopper', 'deprecated from the terminal'],
      ['proposed', 'ada', 'reopened from the terminal'],
      ['rejected', 'ada', 'rejected from the terminal'],
    ]);
  });

  it.each([
    [['accept', 'ADR-0001'], 'ADR-0001 is accepted; only a proposed record can be accepted.'],
    [['reject', 'ADR-0001'], 'ADR-0001 is accepted; only a proposed record can be rejected.'],
    [['reopen', 'ADR-0002'], 'ADR-0002 is superseded; start a revisit of its successor instead.'],
    [['deprecate', 'ADR-0009'], 'team local has no ADR-0009'],
    [
      ['supersede', 'ADR-0002', '--with', 'ADR-0001'],
      'ADR-0002 is superseded; only an accepted record can be superseded.',
    ],
    [['supersede', 'ADR-0001', '--with', 'ADR-0001'], 'ADR-0001 cannot supersede itself.'],
    [['supersede', 'ADR-0001'], 'decide supersede needs --with ADR-M'],
    [['accpet', 'ADR-0001'], 'unknown decision "accpet"; did you mean "accept"?'],
    [['accept'], 'decide accept needs a record, e.g. ADR-0003 or 3'],
    [['accept', 'ADR-x'], '(not "ADR-x")'],
    [['accept', '1', '--with', '2'], '--with is for supersede, not accept.'],
    [['accept', '1', '2'], 'takes one record'],
  ])('refuses %j with a clear message, exit 2, and changes nothing', async (args, message) => {
    const t = setup();
    await t.cli('interview', '--answers', t.answers, '--accept');
    await t.cli('interview', '--answers', t.answers, '--accept');
    await t.cli('interview', '--answers', t.answers, '--accept', '--revisits', '2');
    // ADR-0001 accepted, ADR-0002 superseded by ADR-0003.
    const before = readFileSync(t.teamFile(), 'utf8');
    expect(await t.cli('decide', ...args)).toBe(2);
    expect(t.out).toEqual([]);
    expect(t.err.join('\n')).toContain(message);
    expect(readFileSync(t.teamFile(), 'utf8')).toBe(before);
  });

  it('refuses a record of a team that has none, without creating the team', async () => {
    const t = setup();
    expect(await t.cli('decide', 'accept', 'ADR-1', '--team', 'T42')).toBe(2);
    expect(t.err.join('\n')).toContain('team T42 has no ADR-0001');
    expect(existsSync(t.teamFile('T42'))).toBe(false);
  });

  it('supersede hands an accepted record over to a proposed one, and the history credits who did it', async () => {
    const t = setup();
    await t.cli('interview', '--answers', t.answers, '--accept');
    await t.cli('interview', '--answers', t.answers);
    expect(await t.cli('decide', 'supersede', 'ADR-0001', '--with', 'ADR-0002', '--by', 'Grace Hopper')).toBe(0);
    expect(t.out.join('\n')).toMatch(/ADR-0001 ".+" is superseded by ADR-0002 ".+" \(accepted\), by Grace Hopper\./);
    const [old, next] = (await t.doc()).decisions;
    expect(old).toMatchObject({ status: 'superseded', supersededBy: 2 });
    expect(old?.history.at(-1)).toMatchObject({ to: 'superseded', by: 'Grace Hopper', byName: 'Grace Hopper' });
    expect(next).toMatchObject({ status: 'accepted', supersedes: 1, decidedByName: 'Grace Hopper' });
    // The exported ADR of the old record names the person in its history, not an id.
    const out = join(t.dir, 'adr');
    expect(await t.cli('export', '--out', out)).toBe(0);
    const file = readdirSync(out).find((f) => f.startsWith('0001-')) ?? '';
    expect(readFileSync(join(out, file), 'utf8')).toContain('superseded on 2026-11-25 by Grace Hopper');
  });

  it('reads ADR numbers the way people write them', () => {
    expect([parseAdrRef('ADR-0007'), parseAdrRef('adr-7'), parseAdrRef('7'), parseAdrRef('ADR7')]).toEqual([
      7, 7, 7, 7,
    ]);
    expect([parseAdrRef('0'), parseAdrRef('ADR-'), parseAdrRef('-3'), parseAdrRef('7x')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('who decides from the terminal', () => {
  it('is --by, else the operating system’s user name, never the word terminal', () => {
    expect(osUserName({})).toBe(userInfo().username);
    expect(actorName('  Grace Hopper ', 'ada')).toBe('Grace Hopper');
    expect(actorName(undefined, 'ada')).toBe('ada');
    expect(actorName('   ', undefined)).toBeUndefined();
    expect(actorName('x'.repeat(200), undefined)).toHaveLength(80);
  });

  it('the built CLI in its own process records the OS user as the decision-maker', async () => {
    const t = setup();
    const bin = join(import.meta.dirname, '../../bin/mesh-help.js');
    const env = { PATH: process.env.PATH, MESH_HELP_DATA_DIR: join(t.dir, 'data') };
    await promisify(execFile)(process.execPath, [bin, 'interview', '--answers', t.answers], { env });
    await promisify(execFile)(process.execPath, [bin, 'decide', 'accept', 'ADR-1'], { env });
    const d = (await t.doc()).decisions[0];
    expect(d).toMatchObject({ status: 'accepted', createdBy: userInfo().username, decidedByName: userInfo().username });
    expect(JSON.stringify(d)).not.toContain('"terminal"');
  });
});
