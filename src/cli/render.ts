import type { Decision } from '../domain/model.js';
import { adrId, patternName, patternNameList } from '../domain/presentation.js';
import type { Flow } from '../engine/flow.js';
import type { Recommendation } from '../engine/recommend.js';
import { toolName, toolStatusLine, toolsOf } from '../engine/tools.js';

const nameOf = patternName;

function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

const FIT_LABEL = { 'first-choice': 'first choice:', alternative: 'alternative:', avoid: 'avoid:' } as const;

/** Wraps `text` under `indent`, with continuation lines indented two more. */
const hang = (text: string, width: number, indent: string): string[] =>
  wrap(text, width - indent.length).map((l, i) => (i ? `${indent}  ${l}` : `${indent}${l}`));

/** The recommendation for a terminal: outcome, reasons by pattern, warnings, tools, the readiness checklist. */
export function renderRecommendation(flow: Flow, rec: Recommendation, width = 80): string {
  const out: string[] = [];
  out.push(`Recommendation: ${nameOf(flow, rec.primary)} (${rec.primary})`);
  if (rec.complements.length)
    out.push(`Together with:  ${rec.complements.map((p) => `${nameOf(flow, p)} (${p})`).join(', ')}`);
  if (rec.notNow.length) out.push(`Not now:        ${rec.notNow.map((p) => nameOf(flow, p)).join(', ')}`);
  for (const id of [rec.primary, ...rec.complements, ...rec.notNow]) {
    const reasons = rec.reasons.filter((r) => r.pattern === id);
    if (!reasons.length) continue;
    const verdict = rec.notNow.includes(id) ? 'against' : 'for';
    out.push('', `Why ${verdict} ${nameOf(flow, id)}:`);
    for (const r of reasons)
      out.push(...wrap(`- ${r.because} [${r.question}]`, width, '  ').map((l, i) => (i ? `  ${l}` : l)));
  }
  if (rec.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of rec.warnings) out.push(...wrap(`! ${w}`, width, '  ').map((l, i) => (i ? `  ${l}` : l)));
  }
  const recommended = [rec.primary, ...rec.complements];
  if (rec.tools.length) {
    out.push('', 'Tools:');
    for (const id of recommended) {
      const choices = rec.tools.filter((t) => t.pattern === id);
      if (!choices.length) continue;
      out.push(`  ${nameOf(flow, id)}:`);
      for (const t of choices) {
        const tool = flow.toolById.get(t.tool);
        const label = FIT_LABEL[t.fit];
        const status = tool ? ` (${toolStatusLine(tool)})` : '';
        out.push(...hang(`${label} ${toolName(flow, t.tool)}${status}: ${t.because}`, width, '    '));
        if (t.mode) out.push(`      mode: ${t.mode}`);
        if (tool && t.fit !== 'avoid') out.push(`      source: ${tool.source}`);
        for (const extra of t.sources ?? []) out.push(`      source: ${extra}`);
      }
    }
  }
  if (rec.checklist.length) {
    out.push('', 'Before the first cluster changes:');
    for (const c of rec.checklist) {
      out.push(...hang(`[ ] ${c.item}`, width, '  '));
      out.push(...wrap(`why: ${c.because}`, width - 6, '      '));
    }
  }
  if (rec.sensitivity?.length) {
    out.push('', 'What would change this:');
    for (const s of rec.sensitivity) out.push(...hang(`- ${s.because}`, width, '  '));
  }
  out.push('', 'What each layer needs:');
  for (const id of recommended) {
    const p = flow.patternById.get(id);
    if (!p) continue;
    out.push(`  ${p.name}:`);
    for (const req of p.requirements) out.push(`    needs: ${req}`);
  }
  return out.join('\n');
}

function table(rows: string[][], widths: number[]): string {
  const lines: string[] = [];
  const sep = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  lines.push(sep);
  rows.forEach((row, ri) => {
    const cells = row.map((c, i) => wrapCell(c, widths[i] ?? 10));
    const height = Math.max(...cells.map((c) => c.length));
    for (let h = 0; h < height; h++) {
      lines.push(`| ${cells.map((c, i) => (c[h] ?? '').padEnd(widths[i] ?? 10)).join(' | ')} |`);
    }
    if (ri === 0 || ri === rows.length - 1) lines.push(sep);
    else lines.push(sep.replace(/-/g, ' ').replace(/^ /, '|').replace(/ $/, '|'));
  });
  return lines.join('\n');
}

function wrapCell(text: string, width: number): string[] {
  return text.split('\n').flatMap((para) => {
    const w = wrap(para, width);
    return w.length ? w.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l)) : [''];
  });
}

/** Patterns side by side as a terminal table, one column per pattern. */
export function renderComparison(flow: Flow, ids: string[], width = 120): string {
  const patterns = ids.map((id) => flow.patternById.get(id)).filter((p) => p !== undefined);
  const labelWidth = 12;
  const colWidth = Math.max(
    18,
    Math.floor((width - labelWidth - 4 - patterns.length * 3) / Math.max(1, patterns.length)),
  );
  const list = (xs: string[]) => xs.map((x) => `• ${x}`).join('\n');
  const rows: string[][] = [
    ['', ...patterns.map((p) => p.name)],
    ['Layer', ...patterns.map((p) => p.layer)],
    ['Solves', ...patterns.map((p) => p.solves)],
    ['Shines when', ...patterns.map((p) => list(p.shines))],
    ['Avoid when', ...patterns.map((p) => list(p.avoidWhen))],
    ['Pros', ...patterns.map((p) => list(p.pros))],
    ['Cons', ...patterns.map((p) => list(p.cons))],
    ['Tools', ...patterns.map((p) => list(toolsOf(flow, p.id).map((t) => `${t.name} (${toolStatusLine(t)})`)))],
  ];
  return table(rows, [labelWidth, ...patterns.map(() => colWidth)]);
}

/** The decision log as lines: number, status, date, title, chosen patterns. */
export function renderDecisions(flow: Flow, decisions: Decision[]): string {
  if (!decisions.length) return 'No decisions recorded yet. Run `mesh-help interview` to make one.';
  return decisions
    .map((d) => {
      const date = (d.decidedAt ?? d.updatedAt).slice(0, 10);
      const chosen = patternNameList(flow, d.chosen).join(' + ');
      const links = [
        d.supersedes ? `supersedes ${adrId(d.supersedes)}` : '',
        d.supersededBy ? `superseded by ${adrId(d.supersededBy)}` : '',
      ].filter(Boolean);
      return `${adrId(d.number)}  ${d.status.padEnd(10)}  ${date}  ${d.title}\n         chosen: ${chosen}${links.length ? `  (${links.join(', ')})` : ''}`;
    })
    .join('\n');
}
