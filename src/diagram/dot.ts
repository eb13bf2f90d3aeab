import { match } from 'ts-pattern';
import type { Topology, TopologyEdge, TopologyNode } from '../engine/topology.js';

/** The font both Graphviz (measuring) and resvg (drawing the PNG) use, so labels fit their boxes. */
export const DIAGRAM_FONT = 'DejaVu Sans';

/** Text as the inside of a DOT double-quoted string: quotes and backslashes escaped, `&` as an entity Graphviz keeps. */
export function dotText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const quoted = (text: string): string => `"${dotText(text)}"`;
/** A DOT value already quoted and escaped (several lines of text). */
type Raw = { raw: string };
/** Lines of text, each escaped, joined by DOT's `\\n` (centred) or `\\l` (left-aligned) line ends. */
const lines = (texts: string[], end: '\\n' | '\\l' = '\\n'): Raw => ({
  raw: `"${texts.map(dotText).join(end)}${end === '\\l' ? end : ''}"`,
});
/** Words into lines of at most `width` characters (a longer word keeps its own line). */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** Two lines: the label, and the detail under it. */
const labelOf = (n: { label: string; detail?: string | undefined }): Raw =>
  lines([n.label, ...(n.detail ? [n.detail] : [])]);

const attrs = (a: Record<string, string | number | Raw | undefined>): string =>
  `[${Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? v : typeof v === 'string' ? quoted(v) : v?.raw}`)
    .join(', ')}]`;

function nodeStyle(n: TopologyNode): Record<string, string | number> {
  return match(n.kind)
    .with('users', () => ({ shape: 'oval', fillcolor: '#eef1f6' }))
    .with('global-lb', () => ({ fillcolor: '#dce8fb', color: '#2357c6' }))
    .with('services', () => ({ fillcolor: '#ffffff' }))
    .with('fleet', () => ({ shape: 'box3d', style: 'filled', fillcolor: '#f3f6fb' }))
    .with('mesh', () => ({ fillcolor: '#dff3e4', color: '#17612d' }))
    .with('gateway', () => ({
      shape: 'hexagon',
      style: 'filled',
      fillcolor: '#fff3d6',
      color: '#7a5200',
      margin: '0.02,0.04',
    }))
    .with('link', () => ({ fillcolor: '#ece6f9', color: '#4b3a8c', penwidth: 1.5 }))
    .with('trust-root', () => ({ shape: 'note', style: 'filled', fillcolor: '#fde2e1', color: '#8a1c17' }))
    .with('control-point', () => ({ shape: 'component', style: 'filled', fillcolor: '#e8ebf0' }))
    .with('git', () => ({ shape: 'folder', style: 'filled', fillcolor: '#ffffff' }))
    .exhaustive();
}

function edgeStyle(e: TopologyEdge): Record<string, string | number> {
  return match(e.kind)
    .with('traffic', () => ({ color: '#2357c6' }))
    .with('east-west', () => ({ dir: 'both', color: '#4b3a8c', penwidth: 1.5 }))
    .with('trust', () => ({ style: 'dashed', color: '#8a1c17', arrowhead: 'empty' }))
    .with('control', () => ({ style: 'dashed', color: '#5b6475' }))
    .exhaustive();
}

/**
 * The topology as a Graphviz graph: regions and clusters as nested boxes, the
 * layers around them. Graphviz lays it out; nothing here places a coordinate.
 */
export function topologyDot(t: Topology): string {
  const out: string[] = [
    'digraph topology {',
    `  graph ${attrs({
      rankdir: 'TB',
      fontname: DIAGRAM_FONT,
      fontsize: 12,
      bgcolor: 'white',
      pad: 0.3,
      nodesep: 0.35,
      ranksep: 0.55,
      labeljust: 'l',
      labelloc: 'b',
      ...(t.notes.length
        ? {
            label: lines(
              t.notes.flatMap((n) => wrap(n, 90)),
              '\\l',
            ),
          }
        : {}),
    })};`,
    `  node ${attrs({ fontname: DIAGRAM_FONT, fontsize: 11, shape: 'box', style: 'rounded,filled', color: '#5b6475', margin: '0.15,0.06' })};`,
    `  edge ${attrs({ fontname: DIAGRAM_FONT, fontsize: 9, fontcolor: '#5b6475' })};`,
  ];
  const node = (n: TopologyNode, indent: string) =>
    `${indent}${n.id} ${attrs({ label: labelOf(n), ...nodeStyle(n) })};`;
  for (const r of t.regions) {
    out.push(
      `  subgraph cluster_${r.id} {`,
      `    graph ${attrs({ label: r.label, style: 'dashed,rounded', color: '#8a93a6', fontcolor: '#5b6475', labelloc: 't' })};`,
    );
    for (const c of t.clusters.filter((x) => x.region === r.id)) {
      out.push(
        `    subgraph cluster_${c.id} {`,
        `      graph ${attrs({ label: c.label, style: 'rounded,filled', fillcolor: '#f6f8fb', color: '#5b6475', fontcolor: '#1d2330', labelloc: 't' })};`,
        ...t.nodes.filter((n) => n.cluster === c.id).map((n) => node(n, '      ')),
        '    }',
      );
    }
    out.push(...t.nodes.filter((n) => n.region === r.id && !n.cluster).map((n) => node(n, '    ')), '  }');
  }
  out.push(...t.nodes.filter((n) => !n.region).map((n) => node(n, '  ')));
  for (const e of t.edges) {
    out.push(`  ${e.from} -> ${e.to} ${attrs({ ...(e.label ? { label: e.label } : {}), ...edgeStyle(e) })};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
