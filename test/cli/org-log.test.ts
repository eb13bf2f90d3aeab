import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Io, run } from '../../src/cli/main.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-org-cli-'));
  dirs.push(dir);
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { MESH_HELP_DATA_DIR: join(dir, 'data') },
    stdinIsTTY: false,
    now: () => new Date('2026-11-26T12:00:00Z'),
  };
  const file = (name: string, value: unknown) => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify(value));
    return f;
  };
  return { dir, io, out, err, file };
}

describe('mesh-help decisions --all', () => {
  it('--json lists every team with scope tags and the conflict between two teams on prod-eu', async () => {
    const t = setup();
    const one = t.file('one.json', { clusters: 'one' });
    const multi = t.file('multi.json', { clusters: 'multi-region', pains: ['region-failover'], cni: 'cilium' });
    const decide = (team: string, answers: string, scope: string, accept = true) =>
      run(
        [
          'interview',
          '--answers',
          answers,
          '--team',
          team,
          '--scope',
          scope,
          '--title',
          `${team} choice`,
          ...(accept ? ['--accept'] : []),
        ],
        t.io,
      );
    expect(await decide('payments', one, 'prod-eu,staging')).toBe(0);
    expect(await decide('search', multi, 'PROD-EU')).toBe(0);
    expect(await decide('search', one, 'prod-us', false)).toBe(0);
    t.out.length = 0;
    expect(await run(['decisions', '--all', '--json'], t.io)).toBe(0);
    const log = JSON.parse(t.out.join('\n'));
    expect(log.teams).toBe(2);
    expect(log.records.map((r: { teamId: string; id: string; scope: string[] }) => [r.teamId, r.id, r.scope])).toEqual([
      ['payments', 'ADR-0001', ['prod-eu', 'staging']],
      ['search', 'ADR-0001', ['prod-eu']],
      ['search', 'ADR-0002', ['prod-us']],
    ]);
    expect(log.conflicts).toEqual([
      {
        scope: 'prod-eu',
        a: { teamId: 'payments', number: 1, title: 'payments choice', chosen: ['plain-kubernetes'] },
        b: {
          teamId: 'search',
          number: 1,
          title: 'search choice',
          // Tied in score, the global load balancer leads: fewer arguments against it (advice v3's tie rule).
          chosen: ['multi-cluster-without-mesh', 'cluster-mesh'],
        },
      },
    ]);
    expect(log.records[0].conflicts).toEqual([{ with: 'search/ADR-0001', scope: 'prod-eu' }]);

    t.out.length = 0;
    expect(await run(['decisions', '--all', '--status', 'proposed'], t.io)).toBe(0);
    expect(t.out.join('\n')).toMatch(/^1 decision across 2 teams:\nsearch\/ADR-0002 +proposed/);

    // The record says which clusters it covers.
    expect(await run(['export', '--team', 'search', '--out', join(t.dir, 'adr')], t.io)).toBe(0);
    expect(readFileSync(join(t.dir, 'adr', '0001-search-choice.md'), 'utf8')).toContain(
      '\n\nIt covers these clusters or environments: prod-eu.\n\n',
    );
  });

  it.each([
    [['--status', 'maybe'], /--status: one of proposed, accepted/],
    [['--pattern', 'istio'], /--pattern: unknown pattern "istio"/],
    [['--colour', 'red'], /Unknown option '--colour'/],
  ])('refuses %j with exit 2', async (args, message) => {
    const t = setup();
    expect(await run(['decisions', '--all', ...args], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(message);
  });

  it('a corrupt team file fails loudly and names it', async () => {
    const t = setup();
    mkdirSync(join(t.dir, 'data', 'teams'), { recursive: true });
    writeFileSync(join(t.dir, 'data', 'teams', 'broken.json'), '{ nope');
    expect(await run(['decisions', '--all'], t.io)).toBe(1);
    expect(t.err.join('\n')).toMatch(/broken\.json/);
  });

  it('records of private conversations stay out of the organisation log and of --html exports; --out keeps them', async () => {
    const t = setup();
    const one = t.file('one.json', { clusters: 'one' });
    const multi = t.file('multi.json', { clusters: 'multi-region', pains: ['region-failover'], cni: 'cilium' });
    const decide = (team: string, answers: string, title: string) =>
      run(
        ['interview', '--answers', answers, '--team', team, '--scope', 'prod-eu', '--title', title, '--accept'],
        t.io,
      );
    expect(await decide('payments', one, 'Payments mesh')).toBe(0);
    expect(await decide('search', multi, 'Secret search plan')).toBe(0);
    expect(await decide('search', one, 'Open search plan')).toBe(0);
    // The first search record was made in a private channel.
    const file = join(t.dir, 'data', 'teams', 'search.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.decisions[0].privateTo = 'C0PRIVATE';
    writeFileSync(file, JSON.stringify(doc));

    t.out.length = 0;
    expect(await run(['decisions', '--all', '--json'], t.io)).toBe(0);
    const log = JSON.parse(t.out.join('\n'));
    expect(log.records.map((r: { teamId: string; id: string }) => `${r.teamId}/${r.id}`)).toEqual([
      'payments/ADR-0001',
      'search/ADR-0002',
    ]);
    // Its conflict with payments on prod-eu would name it, so that is left out too.
    expect(log.conflicts).toEqual([]);
    expect(log.privateLeftOut).toBe(1);
    t.out.length = 0;
    expect(await run(['decisions', '--all'], t.io)).toBe(0);
    expect(t.out.join('\n')).not.toContain('Secret search plan');
    expect(t.out.join('\n')).toContain('1 record from private channels or DMs left out');

    const page = join(t.dir, 'search.html');
    t.err.length = 0;
    expect(await run(['export', '--team', 'search', '--html', page], t.io)).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('Open search plan');
    expect(html).not.toContain('Secret search plan');
    expect(t.err.join('\n')).toMatch(/1 record from private channels or DMs left out/);

    // The operator's own folder copy keeps every record, as before.
    expect(await run(['export', '--team', 'search', '--out', join(t.dir, 'adr')], t.io)).toBe(0);
    expect(readFileSync(join(t.dir, 'adr', '0001-secret-search-plan.md'), 'utf8')).toContain('Secret search plan');
  });

  it('--scope on interview refuses what is not a tag', async () => {
    const t = setup();
    const one = t.file('one.json', { clusters: 'one' });
    expect(await run(['interview', '--answers', one, '--scope', 'prod/eu'], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(/--scope: "prod\/eu" is not a cluster or environment tag/);
  });
});
