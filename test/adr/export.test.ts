import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportFiles, writeExport } from '../../src/adr/index.js';
import { recordDecision } from '../../src/domain/machine/record.js';
import { recommend } from '../../src/engine/recommend.js';
import { emptyTeam, type TeamDoc } from '../../src/store/schema.js';
import { add, day2, flow, hostileTeam, multiRegion, oneCluster } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mesh-adr-'));
  dirs.push(d);
  return d;
};

function readAll(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

/** A team with a chain of supersedes, 1 ← 2 ← 3, and an unrelated proposal. */
function chain(): TeamDoc {
  const doc = emptyTeam('T1');
  const a = add(doc, { title: 'Adopt a cluster mesh' });
  const b = add(doc, { title: 'Add a service mesh too', supersedes: a.number, now: day2 });
  add(doc, { title: 'Stay on plain Kubernetes', answers: oneCluster, supersedes: b.number, now: day2 });
  add(doc, { title: 'Try federation', status: 'proposed' });
  return doc;
}

describe('exportFiles', () => {
  it('gives README.md first, then every record by number', () => {
    const doc = chain();
    const files = exportFiles(flow, 'T1', [...doc.decisions].reverse());
    expect(files.map((f) => f.fileName)).toEqual([
      'README.md',
      '0001-adopt-a-cluster-mesh.md',
      '0002-add-a-service-mesh-too.md',
      '0003-stay-on-plain-kubernetes.md',
      '0004-try-federation.md',
    ]);
  });

  it('indexes number, title, status and date as a linked table', () => {
    const index = exportFiles(flow, 'T1', chain().decisions)[0]?.content ?? '';
    expect(index).toContain(
      '| [ADR-0001](0001-adopt-a-cluster-mesh.md) | Adopt a cluster mesh | superseded by ADR-0002 | 2026-12-02 |',
    );
    expect(index).toContain(
      '| [ADR-0003](0003-stay-on-plain-kubernetes.md) | Stay on plain Kubernetes | accepted | 2026-12-02 |',
    );
    expect(index).toContain('| [ADR-0004](0004-try-federation.md) | Try federation | proposed | 2026-11-25 |');
  });

  it('draws which record supersedes which as a Mermaid graph, only with the records involved', () => {
    const index = exportFiles(flow, 'T1', chain().decisions)[0]?.content ?? '';
    const graph = /```mermaid\n([\s\S]*?)```/.exec(index)?.[1] ?? '';
    expect(graph.split('\n').filter(Boolean)).toEqual([
      'graph LR',
      '  ADR0001["ADR-0001: Adopt a cluster mesh"]',
      '  ADR0002["ADR-0002: Add a service mesh too"]',
      '  ADR0003["ADR-0003: Stay on plain Kubernetes"]',
      '  ADR0002 -->|supersedes| ADR0001',
      '  ADR0003 -->|supersedes| ADR0002',
    ]);
    const none = exportFiles(flow, 'T1', [add(emptyTeam('T1'), {})])[0]?.content ?? '';
    expect(none).not.toContain('```mermaid');
    expect(none).toContain('No record supersedes another yet.');
  });

  it('keeps hostile titles out of the Mermaid syntax and the code fence', () => {
    const index = exportFiles(flow, 'T1', hostileTeam().decisions)[0]?.content ?? '';
    const graph = /```mermaid\n([\s\S]*?)```/.exec(index)?.[1] ?? '';
    const labels = graph.split('\n').filter((l) => l.includes('["'));
    expect(labels).toHaveLength(2);
    for (const l of labels) expect(l).toMatch(/^ {2}ADR\d{4}\["[^"<>`\n]*"\]$/);
    expect(index.match(/```/g)).toHaveLength(2);
  });

  it('writes the adr-log section with adr-log markers and lines', () => {
    const index = exportFiles(flow, 'T1', chain().decisions)[0]?.content ?? '';
    const log = /<!-- adrlog -->\n\n([\s\S]*?)\n\n<!-- adrlogstop -->/.exec(index)?.[1];
    expect(log?.split('\n')).toEqual([
      '* [ADR-0001](0001-adopt-a-cluster-mesh.md) - Adopt a cluster mesh',
      '* [ADR-0002](0002-add-a-service-mesh-too.md) - Add a service mesh too',
      '* [ADR-0003](0003-stay-on-plain-kubernetes.md) - Stay on plain Kubernetes',
      '* [ADR-0004](0004-try-federation.md) - Try federation',
    ]);
  });
});

describe('writeExport', () => {
  it('exports 500 records byte-identically on a second run', async () => {
    const doc = emptyTeam('T1');
    const recommendation = recommend(flow, multiRegion);
    for (let i = 0; i < 500; i++) {
      const r = recordDecision(doc, {
        title: `Decision ${i} about meshes`,
        answers: multiRegion,
        recommendation,
        status: 'accepted',
        by: `U${i % 7}`,
        now: new Date(Date.UTC(2026, 0, 1 + (i % 300))),
        ...(i % 10 === 9 ? { supersedes: i } : {}),
      });
      expect(r.ok).toBe(true);
    }
    const dir = tempDir();
    await writeExport(dir, exportFiles(flow, 'T1', doc.decisions));
    const first = readAll(dir);
    expect(Object.keys(first)).toHaveLength(501);
    await writeExport(dir, exportFiles(flow, 'T1', structuredClone(doc.decisions).reverse()));
    const second = readAll(dir);
    expect(second).toEqual(first);
    expect(first['0010-decision-9-about-meshes.md']).toContain('status: accepted');
    expect(first['0009-decision-8-about-meshes.md']).toContain('status: superseded by ADR-0010');
  });

  it('replaces a record renamed by a new title and leaves unrelated files alone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'adr-template.md'), 'keep me');
    writeFileSync(join(dir, '0042-someone-elses-record.md'), 'keep me too');
    const doc = emptyTeam('T1');
    const d = add(doc, { title: 'First title' });
    await writeExport(dir, exportFiles(flow, 'T1', doc.decisions));
    d.title = 'Second title';
    await writeExport(dir, exportFiles(flow, 'T1', doc.decisions));
    expect(readdirSync(dir).sort()).toEqual([
      '0001-second-title.md',
      '0042-someone-elses-record.md',
      'README.md',
      'adr-template.md',
    ]);
  });
});
