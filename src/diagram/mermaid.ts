import { match } from 'ts-pattern';
import type { Topology, TopologyEdge, TopologyNode } from '../engine/topology.js';

/**
 * Text inside a Mermaid quoted label: Mermaid's own entity codes for the
 * characters that would end the label or open markup, so a label is always
 * shown as text (GitHub, GitLab and log4brains render the same block).
 */
export function mermaidText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/&/g, '#38;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;');
}

const label = (n: { label: string; detail?: string | undefined }): string =>
  `"${[n.label, n.detail]
    .filter(Boolean)
    .map((x) => mermaidText(x ?? ''))
    .join('<br/>')}"`;

/** Mermaid's node shapes that match the Graphviz ones. */
function shaped(n: TopologyNode): string {
  const l = label(n);
  return match(n.kind)
    .with('users', () => `${n.id}([${l}])`)
    .with('gateway', () => `${n.id}{{${l}}}`)
    .with('trust-root', () => `${n.id}[/${l}/]`)
    .with('git', () => `${n.id}[(${l})]`)
    .with('fleet', () => `${n.id}[[${l}]]`)
    .with('global-lb', 'services', 'mesh', 'link', 'control-point', () => `${n.id}[${l}]`)
    .exhaustive();
}

function arrow(e: TopologyEdge): string {
  const text = e.label ? `|"${mermaidText(e.label)}"|` : '';
  return match(e.kind)
    .with('traffic', () => `${e.from} -->${text} ${e.to}`)
    .with('east-west', () => `${e.from} <-->${text} ${e.to}`)
    .with('trust', 'control', () => `${e.from} -.->${text} ${e.to}`)
    .exhaustive();
}

/** The topology as a Mermaid `flowchart`, regions and clusters as nested subgraphs (without the code fence). */
export function topologyMermaid(t: Topology): string {
  const out: string[] = ['flowchart TB'];
  for (const r of t.regions) {
    out.push(`  subgraph ${r.id}["${mermaidText(r.label)}"]`);
    for (const c of t.clusters.filter((x) => x.region === r.id)) {
      out.push(`    subgraph ${c.id}["${mermaidText(c.label)}"]`);
      out.push(...t.nodes.filter((n) => n.cluster === c.id).map((n) => `      ${shaped(n)}`));
      out.push('    end');
    }
    out.push(...t.nodes.filter((n) => n.region === r.id && !n.cluster).map((n) => `    ${shaped(n)}`));
    out.push('  end');
  }
  out.push(...t.nodes.filter((n) => !n.region).map((n) => `  ${shaped(n)}`));
  out.push(...t.edges.map((e) => `  ${arrow(e)}`));
  return out.join('\n');
}
