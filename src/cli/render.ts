import type { Decision } from '../domain/model.js';
import { adrId, patternName, patternNameList, type Summary, summary } from '../domain/presentation.js';
import type { Answers, Flow } from '../engine/flow.js';
import type { Recommendation } from '../engine/recommend.js';
import { toolName, toolStatusLine, toolsOf } from '../engine/tools.js';

const nameOf = patternName;

export function wrap(text: string, width: number, indent = ''): string[] {
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
  wrap(text, width - indent.length - 2).map((l, i) => (i ? `${indent}  ${l}` : `${indent}${l}`));

/** The most lines the summary on top of a recommendation takes. */
export const SUMMARY_LINES = 6;

/** `text` wrapped under a label, cut with … to at most `max` lines. */
function labelled(label: string, text: string, width: number, max: number): string[] {
  const pad = ' '.repeat(label.length);
  const lines = wrap(text, Math.max(20, width - label.length)).map((l, i) => (i ? pad : label) + l);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  const last = kept[max - 1] ?? '';
  kept[max - 1] = `${last.length >= width ? last.slice(0, width - 1) : last}…`;
  return kept;
}

/**
 * The recommendation at a glance, in at most SUMMARY_LINES lines of `width`:
 * what to do (naming the first-choice tools), the tools, the top warning, and
 * how many readiness checks. The details follow it.
 */
export function renderSummary(s: Summary, width = 80): string[] {
  const checks = labelled(
    'Readiness: ',
    s.checks === 0 ? 'nothing to check first.' : `${s.checks} ${s.checks === 1 ? 'check' : 'checks'}, listed below.`,
    width,
    1,
  );
  const more = s.moreWarnings ? ` (+${s.moreWarnings} more below)` : '';
  const warningText = s.warning ? `${s.warning}${more}` : undefined;
  // The action comes first and gets the most room; the tools, then the warning, share what is left.
  const reserved = checks.length + (warningText ? 1 : 0) + (s.tools.length ? 1 : 0);
  const action = labelled('Do this:   ', s.action, width, Math.min(3, SUMMARY_LINES - reserved));
  const tools = s.tools.length
    ? labelled(
        'Tools:     ',
        s.tools.join('; '),
        width,
        Math.max(1, Math.min(2, SUMMARY_LINES - action.length - checks.length - (warningText ? 1 : 0))),
      )
    : [];
  const room = SUMMARY_LINES - action.length - tools.length - checks.length;
  const warning = warningText ? labelled('Watch out: ', warningText, width, Math.max(1, room)) : [];
  return [...action, ...tools, ...warning, ...checks];
}

/**
 * The recommendation for a terminal: the summary on top, then the details
 * (reasons by pattern, warnings, tools, the readiness checklist).
 */
export function renderRecommendation(flow: Flow, rec: Recommendation, width = 80, answers: Answers = {}): string {
  const rule = '-'.repeat(Math.min(width, 40));
  return [
    ...renderSummary(summary(flow, rec, answers), width),
    '',
    `${rule} details`,
    renderDetails(flow, rec, width),
  ].join('\n');
}

/** Everything the recommendation says: outcome, reasons by pattern, warnings, tools, the readiness checklist. */
export function renderDetails(flow: Flow, rec: Recommendation, width = 80): string {
  const out: string[] = [];
  out.push(`Recommendation: ${nameOf(flow, rec.primary)} (${rec.primary})`);
  if (rec.complements.length)
    out.push(`Together with:  ${rec.complements.map((p) => `${nameOf(flow, p)} (${p})`).join(', ')}`);
  if (rec.notNow.length)
    out.push(...labelled('Not now:        ', rec.notNow.map((p) => nameOf(flow, p)).join(', '), width, 3));
  for (const id of [rec.primary, ...rec.complements, ...rec.notNow]) {
    const reasons = rec.reasons.filter((r) => r.pattern === id);
    if (!reasons.length) continue;
    const verdict = rec.notNow.includes(id) ? 'against' : 'for';
    out.push('', `Why ${verdict} ${nameOf(flow, id)}:`);
    for (const r of reasons)
      out.push(...wrap(`- ${r.because} [${r.question}]`, width - 4, '  ').map((l, i) => (i ? `  ${l}` : l)));
  }
  if (rec.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of rec.warnings) out.push(...wrap(`! ${w}`, width - 4, '  ').map((l, i) => (i ? `  ${l}` : l)));
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
    for (const req of p.requirements) out.push(...hang(`needs: ${req}`, width, '    '));
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
