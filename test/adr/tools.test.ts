import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { madrFilePathFilter, parseMadrWithFrontmatter } from '@backstage/plugin-adr-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFiles, writeExport } from '../../src/adr/index.js';
import { emptyTeam } from '../../src/store/schema.js';
import { add, day2, flow, HOSTILE, hostileTeam, oneCluster } from './fixtures.js';

const exec = promisify(execFile);
const ADR_LOG = new URL('../../node_modules/adr-log/cli.js', import.meta.url).pathname;

/** A team as ADR tools should see it: a supersede, a proposal, and hostile text everywhere. */
function team() {
  const doc = hostileTeam(); // ADR-0001 superseded by ADR-0002, both hostile
  add(doc, { title: 'Adopt a cluster mesh for region failover' });
  add(doc, { title: 'Revisit: plain Kubernetes', answers: oneCluster, supersedes: 3, now: day2 });
  add(doc, { title: 'Try federation', status: 'proposed' });
  return doc;
}

let dir: string;
let tz: string | undefined;
beforeAll(async () => {
  // Backstage formats the date in the local zone; a UTC server reads what the file says.
  tz = process.env.TZ;
  process.env.TZ = 'UTC';
  dir = mkdtempSync(join(tmpdir(), 'mesh-adr-tools-'));
  await writeExport(dir, exportFiles(flow, 'T1', team().decisions));
});
afterAll(() => {
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
  rmSync(dir, { recursive: true, force: true });
});

const records = () =>
  readdirSync(dir)
    .filter((f) => f !== 'README.md')
    .sort();
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
const expected = [
  { number: '0001', status: 'superseded by ADR-0002', date: '2026-12-02' },
  { number: '0002', status: 'accepted', date: '2026-12-02' },
  { number: '0003', status: 'superseded by ADR-0004', date: '2026-12-02' },
  { number: '0004', status: 'accepted', date: '2026-12-02' },
  { number: '0005', status: 'proposed', date: '2026-11-25' },
];

describe("Backstage's ADR plugin (@backstage/plugin-adr-common)", () => {
  it('keeps every record file and no index', () => {
    expect(records()).toHaveLength(5);
    for (const f of records()) expect(madrFilePathFilter(`docs/decisions/${f}`)).toBe(true);
    expect(madrFilePathFilter('docs/decisions/README.md')).toBe(false);
  });

  it("reads each file's status, date and single H1 title", () => {
    const doc = team();
    for (const [i, f] of records().entries()) {
      const parsed = parseMadrWithFrontmatter(read(f));
      const want = expected[i];
      expect(f.slice(0, 4)).toBe(want?.number);
      expect({ status: parsed.status, date: parsed.date }).toEqual({ status: want?.status, date: want?.date });
      const h1 = parsed.content.split('\n').filter((l) => l.startsWith('# '));
      expect(h1).toHaveLength(1);
      expect(parsed.content.startsWith('# ')).toBe(true);
      if (i >= 2) expect(h1[0]).toBe(`# ${doc.decisions[i]?.title}`);
    }
  });

  it('reads hostile names back as the exact strings, and no extra keys', () => {
    const parsed = parseMadrWithFrontmatter(read(records()[0] ?? ''));
    expect(Object.keys(parsed.attributes).sort()).toEqual(['consulted', 'date', 'decision-makers', 'status']);
    expect(parsed.attributes['decision-makers']).toEqual([
      `Mallory ${HOSTILE.replace(/\n/g, ' ')}`,
      '"quoted": yes - list',
    ]);
    expect(parsed.attributes.consulted).toEqual(['---', `Eve # ${HOSTILE.replace(/\n/g, ' ')}`]);
  });

  it('shows a supersede in both files', () => {
    const [, , third, fourth] = records().map(read);
    expect(parseMadrWithFrontmatter(third ?? '').content).toContain(
      '- Superseded by [ADR-0004: Revisit: plain Kubernetes](0004-revisit-plain-kubernetes.md).',
    );
    expect(parseMadrWithFrontmatter(fourth ?? '').content).toContain(
      '- Supersedes [ADR-0003: Adopt a cluster mesh for region failover](0003-adopt-a-cluster-mesh-for-region-failover.md).',
    );
  });
});

describe('adr-log', () => {
  it('regenerates exactly the README.md index mesh-help wrote', async () => {
    const { stdout } = await exec(process.execPath, [ADR_LOG, '-d', dir, join(dir, 'README.md')]);
    expect(stdout).toBe(read('README.md'));
  });

  it("lists each record by its number and the file's title", async () => {
    const { stdout } = await exec(process.execPath, [ADR_LOG, '-d', dir, join(dir, 'README.md')]);
    const lines = stdout.split('\n').filter((l) => l.startsWith('* [ADR-'));
    expect(lines.map((l) => /^\* \[ADR-(\d{4})\]\(([^)]+)\) - /.exec(l)?.slice(1))).toEqual(
      records().map((f) => [f.slice(0, 4), f]),
    );
    expect(lines[2]).toBe(
      '* [ADR-0003](0003-adopt-a-cluster-mesh-for-region-failover.md) - Adopt a cluster mesh for region failover',
    );
    expect(lines[1]).toMatch(/^\* \[ADR-0002\]\(0002-channel-script-[a-z0-9-]+\.md\) - \\# &lt;!channel&gt;/);
  });
});

describe('an empty team', () => {
  it('still has a README adr-log can read', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mesh-adr-empty-'));
    try {
      await writeExport(empty, exportFiles(flow, 'T1', emptyTeam('T1').decisions));
      const { stdout } = await exec(process.execPath, [ADR_LOG, '-d', empty, join(empty, 'README.md')]);
      expect(stdout).toContain('<!-- adrlog -->');
      expect(stdout).not.toContain('* [ADR-');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
