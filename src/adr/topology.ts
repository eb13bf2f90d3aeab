import { topologyMermaid } from '../diagram/mermaid.js';
import type { Decision } from '../domain/model.js';
import { isOverride } from '../domain/presentation.js';
import type { Flow } from '../engine/flow.js';
import { topologyOf } from '../engine/topology.js';
import { inline } from './escape.js';

/** The fence line that opens the topology's Mermaid block, for readers of the Markdown (the HTML export). */
export const TOPOLOGY_FENCE = '```mermaid';

/**
 * The record's recommended topology under its Decision Outcome: one sentence,
 * then a Mermaid flowchart that GitHub, GitLab and log4brains draw in place.
 */
export function topologySection(flow: Flow, d: Decision): string[] {
  const t = topologyOf(flow, d.answers, d.recommendation);
  return [
    '',
    '### Recommended topology',
    '',
    inline(t.description),
    ...(isOverride(d) ? ['', 'This is what mesh-help recommended; the team chose otherwise, as said above.'] : []),
    '',
    TOPOLOGY_FENCE,
    topologyMermaid(t),
    '```',
  ];
}

/** Draws a record's recommended topology as SVG markup (from src/diagram's renderer, loaded beforehand). */
export type TopologySvg = (d: Decision) => string;

/** A record's topology as SVG for the HTML export; load once per export (Graphviz compiles in tens of ms). */
export async function topologySvgRenderer(flow: Flow): Promise<TopologySvg> {
  // Loaded on first use: Graphviz's WebAssembly and resvg's binding stay out of processes that never draw.
  const { diagramRenderer } = await import('../diagram/render.js');
  const renderer = await diagramRenderer();
  return (d) => renderer.svg(topologyOf(flow, d.answers, d.recommendation));
}

/**
 * A record's Markdown body as HTML with its topology drawn inline: the Mermaid
 * block is replaced by the SVG (no script, no request: the page's policy holds),
 * its ids prefixed so several records' pictures can share one page.
 */
export function withTopologyFigure(
  md: string,
  d: Decision,
  toHtml: (md: string) => string,
  svgOf: TopologySvg | undefined,
): string {
  const start = md.indexOf(`\n${TOPOLOGY_FENCE}\n`);
  const end = start < 0 ? -1 : md.indexOf('\n```\n', start + TOPOLOGY_FENCE.length + 1);
  if (!svgOf || start < 0 || end < 0) return toHtml(md);
  const prefix = `adr-${d.number}-topology-`;
  const drawn = svgOf(d);
  const svg = drawn
    .slice(drawn.indexOf('<svg'))
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/ id="/g, ` id="${prefix}`)
    .replace('<svg ', '<svg style="max-width:100%;height:auto" ');
  return [
    toHtml(md.slice(0, start)),
    `<figure class="topology" style="margin:12px 0;overflow:auto">${svg}</figure>`,
    toHtml(md.slice(end + '\n```\n'.length)),
  ].join('\n');
}
