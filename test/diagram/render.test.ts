// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DiagramRenderer,
  diagramFontFile,
  diagramRenderer,
  MAX_PNG_WIDTH,
  PNG_SCALE,
  pngZoom,
  topologyMermaid,
} from '../../src/diagram/index.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import { toolName } from '../../src/engine/tools.js';
import { topologyOf } from '../../src/engine/topology.js';
import { decodePng } from '../support/png.js';
import { TOPOLOGY_PROFILES } from './profiles.js';

const flow = getFlow();
let renderer: DiagramRenderer;
beforeAll(async () => {
  renderer = await diagramRenderer();
});

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Every text the SVG draws, entities decoded (Graphviz writes "-" as &#45;). */
const svgTexts = (svg: string): string[] =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    (m[1] ?? '').replace(/&(#\d+|[a-z]+);/g, (_, e: string) =>
      e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : (ENTITIES[e] ?? `&${e};`),
    ),
  );
/** Graphviz names each drawn box in a <title>: `cluster_region_1` for a region, a node's id for a node. */
const titles = (svg: string): string[] => [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1] ?? '');
const ptSize = (svg: string) => {
  const m = /<svg[^>]*\bwidth="([\d.]+)pt"[^>]*\bheight="([\d.]+)pt"/.exec(svg);
  return { width: Number(m?.[1]), height: Number(m?.[2]) };
};

describe.each(TOPOLOGY_PROFILES)('the topology of $name', ({ answers, expected }) => {
  const rec = recommend(flow, answers);
  const topology = topologyOf(flow, answers, rec);
  /** Each recommended layer's name in the picture: its first-choice tool, else the pattern's own name. */
  const layerLabels = [rec.primary, ...rec.complements].map((pattern) => {
    const first = rec.tools.find((t) => t.pattern === pattern && t.fit === 'first-choice');
    return first ? toolName(flow, first.tool) : (flow.patternById.get(pattern)?.name ?? pattern);
  });

  it('renders a PNG that decodes, at the SVG’s size times the PNG scale', () => {
    const svg = renderer.svg(topology);
    const png = renderer.png(topology);
    const decoded = decodePng(png.png);
    const pt = ptSize(svg);
    expect(pt.width).toBeGreaterThan(100);
    // Graphviz sizes in points; resvg draws 96 px per inch (4/3 px a point), times the scale (less past the cap).
    const scale = Math.min(PNG_SCALE, MAX_PNG_WIDTH / ((pt.width * 4) / 3));
    expect(pngZoom(pt.width)).toBe(scale);
    expect(Math.abs(decoded.width - (pt.width * 4 * scale) / 3)).toBeLessThanOrEqual(1);
    expect(Math.abs(decoded.height - (pt.height * 4 * scale) / 3)).toBeLessThanOrEqual(1);
    expect(decoded.width).toBeLessThanOrEqual(MAX_PNG_WIDTH + 1);
    expect({ width: decoded.width, height: decoded.height }).toEqual({ width: png.width, height: png.height });
    expect(decoded.colorType === 6 || decoded.colorType === 2).toBe(true);
  });

  it('labels every recommended layer with its first-choice tool in the SVG', () => {
    const text = svgTexts(renderer.svg(topology)).join('\n');
    for (const label of layerLabels) expect(text).toContain(label);
  });

  it('draws only what the answers allow: regions, cluster boxes or a fleet, gateways, load balancer, trust root', () => {
    const svg = renderer.svg(topology);
    const drawn = titles(svg);
    const text = svgTexts(svg);
    expect(drawn.filter((t) => /^cluster_region_\d+$/.test(t))).toHaveLength(expected.regions);
    expect(drawn.filter((t) => /^cluster_cluster_\d+$/.test(t))).toHaveLength(expected.clusterBoxes);
    expect(drawn.filter((t) => /^region_\d+_fleet$/.test(t))).toHaveLength(expected.fleet ? expected.regions : 0);
    expect(text.some((t) => t === 'East-west gateway')).toBe(expected.gateways);
    expect(drawn.includes('global_lb')).toBe(expected.lb);
    expect(text.includes('Users')).toBe(expected.lb);
    expect(text.includes('Shared root CA')).toBe(expected.trustRoot);
    expect(text.some((t) => /not known yet/.test(t))).toBe(expected.unknownNetwork);
    // A fleet is a handful of boxes whatever its size.
    expect(drawn.filter((t) => !t.startsWith('cluster_') && !t.includes('->') && t !== 'topology').length).toBeLessThan(
      16,
    );
  });

  it('gives a Mermaid flowchart that mermaid’s own parser accepts, with the same layers and regions', async () => {
    const { default: mermaid } = await import('mermaid');
    const source = topologyMermaid(topology);
    await expect(mermaid.parse(source)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
    for (const label of layerLabels) expect(source).toContain(label.replace(/"/g, '#quot;'));
    expect(source.match(/subgraph region_\d+\[/g) ?? []).toHaveLength(expected.regions);
    expect(source.includes('East-west gateway')).toBe(expected.gateways);
  });
});

describe('the topology drawing', () => {
  it('an edge fleet of more than 50 clusters is one node that says so, not 50 boxes', () => {
    const edge = TOPOLOGY_PROFILES.find((p) => p.answers.fleet === '51-plus');
    if (!edge) throw new Error('no 51-plus profile');
    const t = topologyOf(flow, edge.answers, recommend(flow, edge.answers));
    const svg = renderer.svg(t);
    expect(svgTexts(svg)).toContain('More than 50 clusters');
    expect(titles(svg).filter((x) => x.startsWith('cluster_cluster_'))).toEqual([]);
  });

  it('mermaid’s parser rejects a broken block, so the parse checks above can fail', async () => {
    const { default: mermaid } = await import('mermaid');
    await expect(mermaid.parse('flowchart TB\n  a["unclosed\n')).rejects.toThrow();
  });

  it('the SVG carries the summary as its accessible name', () => {
    const first = TOPOLOGY_PROFILES[0];
    if (!first) throw new Error('no profile');
    const t = topologyOf(flow, first.answers, recommend(flow, first.answers));
    expect(renderer.svg(t)).toMatch(/<svg role="img" aria-label="Recommended topology: One Kubernetes cluster/);
  });
});

describe('the PNG’s labels', () => {
  it('are drawn with the font npm ships, whatever fonts the machine has', async () => {
    const { Resvg } = await import('@resvg/resvg-js');
    const answers = TOPOLOGY_PROFILES[0]?.answers ?? {};
    const topology = topologyOf(flow, answers, recommend(flow, answers));
    const svg = renderer.svg(topology);
    const ours = renderer.png(topology);
    // The same picture where no font can be found: boxes and lines, no text.
    const bare = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: pngZoom(ptSize(svg).width) },
      background: 'white',
      font: { loadSystemFonts: false, fontFiles: [] },
    }).render();
    expect(ours.width).toBe(bare.width);
    expect(diagramFontFile()).toMatch(/node_modules\/dejavu-fonts-ttf\/ttf\/DejaVuSans\.ttf$/);
    // Text is detail: the same boxes and lines with their labels compress to a much larger PNG.
    expect(ours.png.length).toBeGreaterThan(bare.asPng().length * 1.3);
  });
});
