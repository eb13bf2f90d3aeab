import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseMadrWithFrontmatter } from '@backstage/plugin-adr-common';
import { afterEach, describe, expect, it } from 'vitest';
import { type Io, run } from '../../src/cli/main.js';

const exec = promisify(execFile);
const BIN = new URL('../../bin/mesh-help.js', import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-export-'));
  dirs.push(dir);
  const answers = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };
  const out: string[] = [];
  const err: string[] = [];
  let clock = Date.parse('2026-11-25T12:00:00Z');
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { MESH_HELP_DATA_DIR: join(dir, 'data') },
    stdinIsTTY: false,
    now: () => {
      clock += 86_400_000; // a day between commands, so dates show which command wrote them
      return new Date(clock);
    },
  };
  const files = (sub: string) =>
    Object.fromEntries(
      readdirSync(join(dir, sub))
        .sort()
        .map((f) => [f, readFileSync(join(dir, sub, f), 'utf8')]),
    );
  return { dir, answers, io, out, err, files };
}

describe('mesh-help export', () => {
  it('writes every record of the local team and a README.md index; twice gives identical files', async () => {
    const t = setup();
    const first = t.answers('a1.json', { clusters: 'multi-region', pains: ['region-failover'], cni: 'cilium' });
    const second = t.answers('a2.json', { clusters: 'one', pains: ['none'] });
    expect(await run(['interview', '--answers', first, '--accept', '--title', 'Adopt a cluster mesh'], t.io)).toBe(0);
    expect(await run(['interview', '--answers', second, '--accept', '--revisits', '1'], t.io)).toBe(0);
    expect(await run(['interview', '--answers', second], t.io)).toBe(0);
    const out = join(t.dir, 'docs', 'decisions');
    expect(await run(['export', '--out', out], t.io)).toBe(0);
    expect(t.out.at(-1)).toMatch(/^Wrote 3 decision records and README.md for team local to .*docs\/decisions\.$/);
    const once = t.files('docs/decisions');
    expect(Object.keys(once)).toEqual([
      '0001-adopt-a-cluster-mesh.md',
      '0002-stay-on-plain-kubernetes-for-now.md',
      '0003-stay-on-plain-kubernetes-for-now.md',
      'README.md',
    ]);
    const read = (f: string) => parseMadrWithFrontmatter(once[f] ?? '');
    expect(read('0001-adopt-a-cluster-mesh.md').status).toBe('superseded by ADR-0002');
    expect(once['0001-adopt-a-cluster-mesh.md']).toMatch(/^---\nstatus: superseded by ADR-0002\ndate: 2026-11-27\n/);
    expect(read('0002-stay-on-plain-kubernetes-for-now.md').status).toBe('accepted');
    expect(read('0003-stay-on-plain-kubernetes-for-now.md').status).toBe('proposed');
    expect(once['README.md']).toContain('ADR0002 -->|supersedes| ADR0001');

    expect(await run(['export', '--out', out], t.io)).toBe(0);
    expect(t.files('docs/decisions')).toEqual(once);
  });

  it('--format log4brains writes the MADR 2 header list after the title instead of front matter', async () => {
    const t = setup();
    const a = t.answers('a.json', { clusters: 'one' });
    expect(await run(['interview', '--answers', a, '--accept', '--title', 'Stay plain'], t.io)).toBe(0);
    expect(await run(['export', '--format', 'log4brains', '--out', join(t.dir, 'l4b')], t.io)).toBe(0);
    expect(t.files('l4b')['0001-stay-plain.md']).toMatch(
      /^# Stay plain\n\n- Status: accepted\n- Deciders: [^\n]+\n- Date: 2026-11-26\n\n## Context and Problem Statement\n/,
    );
    expect(await run(['export', '--format', 'madr4', '--out', join(t.dir, 'madr')], t.io)).toBe(0);
    expect(t.files('madr')['0001-stay-plain.md']).toMatch(/^---\nstatus: accepted\ndate: 2026-11-26\n/);
  });

  it('exports the team named by --team only', async () => {
    const t = setup();
    const a = t.answers('a.json', { clusters: 'one' });
    await run(['interview', '--answers', a, '--accept', '--title', 'Local one'], t.io);
    await run(['interview', '--answers', a, '--accept', '--team', 'platform', '--title', 'Platform one'], t.io);
    expect(await run(['export', '--team', 'platform', '--out', join(t.dir, 'out')], t.io)).toBe(0);
    expect(Object.keys(t.files('out'))).toEqual(['0001-platform-one.md', 'README.md']);
    expect(t.files('out')['README.md']).toContain('team `platform`');
  });

  it.each([
    [[], /needs --out DIR/],
    [['--out', ''], /needs --out DIR/],
    [['--out', 'x', '--team', '../etc'], /--team: a team id/],
    [['--out', 'x', '--json'], /Unknown option '--json'/],
    [['--out'], /argument missing/],
    [['--out', 'x', '--format', 'madr2'], /--format: madr4 \(the default: MADR 4 front matter\) or log4brains/],
    [['--html', 'x.html', '--format', 'log4brains'], /--format goes with --out, --pr or --git/],
  ])('exits 2 for bad usage (%j)', async (args, message) => {
    const t = setup();
    expect(await run(['export', ...args], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(message);
    expect(t.err.join('\n')).toContain('usage: mesh-help export [--team ID] [--format F] --out DIR');
    expect(t.out).toEqual([]);
  });

  it('exits 1 naming the file when the store is corrupt, and when the team has no records', async () => {
    const t = setup();
    expect(await run(['export', '--out', join(t.dir, 'out')], t.io)).toBe(1);
    expect(t.err.join('\n')).toMatch(/team local has no decision records in .*data; nothing to export/);
    mkdirSync(join(t.dir, 'data', 'teams'), { recursive: true });
    writeFileSync(join(t.dir, 'data', 'teams', 'local.json'), '{ not json');
    expect(await run(['export', '--out', join(t.dir, 'out')], t.io)).toBe(1);
    expect(t.err.join('\n')).toMatch(/local\.json/);
  });

  it('exits 1 when the folder cannot be written', async () => {
    const t = setup();
    await run(['interview', '--answers', t.answers('a.json', { clusters: 'one' }), '--accept'], t.io);
    writeFileSync(join(t.dir, 'file'), 'not a folder');
    expect(await run(['export', '--out', join(t.dir, 'file')], t.io)).toBe(1);
    expect(t.err.join('\n')).toMatch(/cannot write to .*file: (EEXIST|ENOTDIR)/);
  });

  it('runs as users run it: npx mesh-help interview --accept, decisions, export', async () => {
    const t = setup();
    const env = { ...process.env, MESH_HELP_DATA_DIR: join(t.dir, 'data') };
    const answers = t.answers('a.json', { clusters: 'several-same-region', pains: ['cross-cluster-calls'] });
    await exec('node', [BIN, 'interview', '--answers', answers, '--accept', '--team', 'web'], { env });
    const { stdout: log } = await exec('node', [BIN, 'decisions', '--team', 'web'], { env });
    expect(log).toMatch(/ADR-0001\s+accepted/);
    const { stdout } = await exec('node', [BIN, 'export', '--team', 'web', '--out', join(t.dir, 'adr')], { env });
    expect(stdout).toMatch(/Wrote 1 decision record/);
    const [file] = Object.keys(t.files('adr')).filter((f) => f !== 'README.md');
    expect(parseMadrWithFrontmatter(t.files('adr')[file ?? ''] ?? '').status).toBe('accepted');
  });
});
