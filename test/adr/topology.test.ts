// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/adr/html.js';
import { renderAdr, topologySvgRenderer } from '../../src/adr/index.js';
import type { TopologySvg } from '../../src/adr/topology.js';
import { emptyTeam } from '../../src/store/schema.js';
import { add, flow, multiRegion, oneCluster } from './fixtures.js';

let topologySvg: TopologySvg;
beforeAll(async () => {
  topologySvg = await topologySvgRenderer(flow);
});

const mermaidBlock = (md: string) => /\n```mermaid\n([\s\S]*?)\n```\n/.exec(md)?.[1];

describe('the recommended topology in the MADR export', () => {
  it('sits under the Decision Outcome as one sentence and a Mermaid flowchart that mermaid parses', async () => {
    const doc = emptyTeam('T1');
    const d = add(doc, { answers: multiRegion });
    const md = renderAdr(d, { flow, decisions: doc.decisions }).content;
    const outcome = md.indexOf('## Decision Outcome');
    const section = md.indexOf('### Recommended topology');
    expect(section).toBeGreaterThan(outcome);
    expect(section).toBeLessThan(md.indexOf('## Pros and Cons of the Options'));
    expect(md.slice(section)).toMatch(/^### Recommended topology\n\n2 to 5 clusters in two regions\. /);
    const block = mermaidBlock(md);
    expect(block).toMatch(/^flowchart TB\n/);
    expect(block).toContain('Cilium ClusterMesh');
    const { default: mermaid } = await import('mermaid');
    await expect(mermaid.parse(block ?? '')).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
  });

  it('says so when the team chose something other than the recommendation', () => {
    const doc = emptyTeam('T1');
    const d = add(doc, { answers: oneCluster, chosen: ['service-mesh'], overrideReason: 'audit wants mTLS' });
    const md = renderAdr(d, { flow, decisions: doc.decisions }).content;
    expect(md).toContain('This is what mesh-help recommended; the team chose otherwise');
    expect(mermaidBlock(md)).not.toContain('Istio');
  });
});

describe('the recommended topology in the HTML export', () => {
  it('is drawn inline as SVG in each record, in place of the Mermaid source, with ids unique on the page', () => {
    const doc = emptyTeam('T1');
    add(doc, { answers: multiRegion });
    add(doc, { answers: oneCluster, title: 'Stay on plain Kubernetes' });
    const html = renderHtml(flow, 'T1', doc.decisions, { topologySvg });
    expect(html.match(/<figure class="topology"[^>]*><svg /g)).toHaveLength(2);
    expect(html).not.toContain('flowchart TB');
    expect(html).not.toMatch(/<\?xml|<!DOCTYPE svg/);
    expect(html).toContain('aria-label="Recommended topology: 2 to 5 clusters in two regions');
    expect(html).toContain('Cilium ClusterMesh');
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // The text after the picture is still rendered.
    for (const article of html.split('<article').slice(1)) {
      expect(article.indexOf('Pros and Cons of the Options')).toBeGreaterThan(article.indexOf('</figure>'));
    }
  });

  it('keeps the Mermaid source as code when no renderer is given', () => {
    const doc = emptyTeam('T1');
    add(doc, { answers: multiRegion });
    const html = renderHtml(flow, 'T1', doc.decisions);
    expect(html).toMatch(/<pre><code[^>]*>\s*flowchart TB/);
    expect(html).not.toContain('<figure');
  });
});
