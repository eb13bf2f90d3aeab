import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
// The deprecated @backstage/plugin-adr-common on purpose: its successor, @backstage-community/plugin-adr-common,
// is not on the npm registry this project installs from (404), and it parses front matter the same way.
import { madrFilePathFilter, parseMadrWithFrontmatter } from '@backstage/plugin-adr-common';
import { Log4brains } from '@log4brains/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFiles, writeExport } from '../../src/adr/index.js';
import { transition } from '../../src/domain/machine/record.js';
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

describe('log4brains (@log4brains/core reading a --format log4brains export)', () => {
  /** Four records, one of each status log4brains must tell apart, deciders with characters that could break a list. */
  function fourRecords() {
    const doc = emptyTeam('T1');
    add(doc, { title: 'Adopt a cluster mesh', byName: 'Ada Lovelace' });
    add(doc, {
      title: 'Stay on *plain* Kubernetes <for now>',
      byName: 'Grace <Hopper> & co',
      answers: oneCluster,
      supersedes: 1,
      now: day2,
    });
    add(doc, { title: 'Try federation', status: 'proposed', byName: 'Lin, Wei' });
    add(doc, { title: 'Add a service mesh', status: 'proposed', byName: 'Bob' });
    const rejected = transition(doc, 4, 'rejected', 'U9', day2, undefined, 'Carol');
    if (!rejected.ok) throw new Error(rejected.error.kind);
    return doc;
  }

  it('reads status, superseded-by, date and deciders of accepted, proposed, superseded and rejected records', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mesh-l4b-'));
    try {
      writeFileSync(
        join(root, '.log4brains.yml'),
        'project:\n  name: mesh-help test\n  tz: UTC\n  adrFolder: ./docs/decisions\n',
      );
      await writeExport(
        join(root, 'docs', 'decisions'),
        exportFiles(flow, 'T1', fourRecords().decisions, 'log4brains'),
      );
      const adrs = await Log4brains.create(root).searchAdrs();
      const read = adrs
        .map((a) => ({
          slug: a.slug,
          title: a.title,
          status: a.status,
          supersededBy: a.supersededBy,
          date: a.publicationDate?.slice(0, 10) ?? null,
          deciders: a.deciders,
        }))
        .sort((a, b) => a.slug.localeCompare(b.slug));
      expect(read).toEqual([
        {
          slug: '0001-adopt-a-cluster-mesh',
          title: 'Adopt a cluster mesh',
          status: 'superseded',
          supersededBy: '0002-stay-on-plain-kubernetes-for-now',
          date: '2026-12-02',
          deciders: ['Ada Lovelace'],
        },
        {
          slug: '0002-stay-on-plain-kubernetes-for-now',
          title: 'Stay on *plain* Kubernetes <for now>',
          status: 'accepted',
          supersededBy: null,
          date: '2026-12-02',
          deciders: ['Grace <Hopper> & co'],
        },
        {
          slug: '0003-try-federation',
          title: 'Try federation',
          status: 'proposed',
          supersededBy: null,
          date: '2026-11-25',
          deciders: ['Lin Wei'],
        },
        {
          slug: '0004-add-a-service-mesh',
          title: 'Add a service mesh',
          status: 'rejected',
          supersededBy: null,
          date: '2026-12-02',
          deciders: ['Bob'],
        },
      ]);
      // The header list is metadata, not body text, and the README.md index is not taken for a record.
      const superseded = adrs.find((a) => a.slug.startsWith('0001'));
      expect(superseded?.body.enhancedMdx).not.toMatch(/Status:|Deciders:|Date:/);
      expect(adrs).toHaveLength(4);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
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
