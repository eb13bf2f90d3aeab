// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { diagramRenderer, dotText, topologyDot, topologyMermaid } from '../../src/diagram/index.js';
import { mermaidText } from '../../src/diagram/mermaid.js';
import { Topology } from '../../src/engine/topology.js';

/** happy-dom's XML parser (the project's TypeScript has no DOM library). */
type XmlParser = new () => { parseFromString(text: string, type: string): { querySelector(q: string): unknown } };
const { DOMParser } = globalThis as unknown as { DOMParser: XmlParser };

/** A name a catalogue copy (MESH_HELP_FLOWS_DIR) could give a tool: quotes, markup, DOT and Mermaid syntax. */
const HOSTILE = 'Mesh "X" <b>&amp; \\N [a]|b{c} #quot; end\nsubgraph';

const topology = Topology.parse({
  summary: `Recommended topology: ${HOSTILE}`,
  description: HOSTILE,
  regions: [{ id: 'region_1', label: 'Region' }],
  clusters: [{ id: 'cluster_1', label: 'Kubernetes cluster', region: 'region_1' }],
  nodes: [
    { id: 'cluster_1_services', kind: 'services', label: 'Services', region: 'region_1', cluster: 'cluster_1' },
    {
      id: 'cluster_1_mesh',
      kind: 'mesh',
      label: HOSTILE,
      detail: 'a "detail" > here',
      pattern: 'service-mesh',
      region: 'region_1',
      cluster: 'cluster_1',
    },
  ],
  edges: [{ from: 'cluster_1_services', to: 'cluster_1_mesh', kind: 'traffic', label: 'calls "all" <x>' }],
  layers: [{ pattern: 'service-mesh', label: HOSTILE }],
  notes: [`Note with ${HOSTILE}`],
  clusterCount: 'one cluster',
  crossing: 'none',
});

describe('labels that look like syntax', () => {
  it('DOT text escapes quotes and backslashes and keeps & and < as entities Graphviz prints literally', () => {
    expect(dotText('a "b" \\N & <c>')).toBe('a \\"b\\" \\\\N &amp; &lt;c&gt;');
  });

  it('Graphviz draws a hostile label as the very text, and the SVG stays one well-formed <svg>', async () => {
    const svg = (await diagramRenderer()).svg(topology);
    expect(svg.match(/<svg[\s>]/g)).toHaveLength(1);
    expect(svg).not.toContain('<b>');
    // Each line of the label is drawn with the text as written (one space where the newline was).
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toContain('Mesh &quot;X&quot; &lt;b&gt;&amp;amp; \\N [a]|b{c} #quot; end subgraph');
    expect(
      new DOMParser().parseFromString(svg.slice(svg.indexOf('<svg')), 'image/svg+xml').querySelector('parsererror'),
    ).toBeNull();
    expect(topologyDot(topology)).not.toContain('\nsubgraph"');
  });

  it('Mermaid text uses entity codes, so mermaid parses the block and no label ends early', async () => {
    expect(mermaidText('a "b" <c> & #d')).toBe('a #quot;b#quot; #lt;c#gt; #38; #35;d');
    const { default: mermaid } = await import('mermaid');
    const source = topologyMermaid(topology);
    await expect(mermaid.parse(source)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
    expect(source.split('\n').filter((l) => l.trim() === 'subgraph')).toEqual([]);
  });
});
