import { match } from 'ts-pattern';
import { Document, Scalar, visit } from 'yaml';
import { z } from 'zod';
import { driftsOf } from '../domain/drift.js';
import type { Approval, Concern, Decision, Reply } from '../domain/model.js';
import { count } from '../domain/plural.js';
import {
  adrId,
  answerLabels,
  choiceView,
  decisionConsequences,
  decisionDrivers,
  patternName,
  recommendedPatterns,
  statusLabel,
} from '../domain/presentation.js';
import { checklistState } from '../engine/checklist.js';
import type { AnswerValue, Flow } from '../engine/flow.js';
import { toolName, toolStatusLine } from '../engine/tools.js';
import { inline, oneLine, safeUrl } from './escape.js';
import { adrFileName } from './file-name.js';
import { topologySection } from './topology.js';

/** One exported file: its name inside the decisions folder and its exact bytes (UTF-8 text). */
export type AdrFile = { fileName: string; content: string };

/**
 * The layout of an exported record. `madr4`: MADR 4, YAML front matter (Backstage, adr-log, most tools).
 * `log4brains`: MADR 2's header list after the title (`- Status:`, `- Deciders:`, `- Date:`), the only
 * metadata log4brains reads; it shows front matter as body text and takes every such record as accepted.
 */
export const AdrFormat = z.enum(['madr4', 'log4brains']);
export type AdrFormat = z.infer<typeof AdrFormat>;

/** What a record needs besides itself to render. */
export type AdrContext = {
  /** The layout; MADR 4 unless named. */
  format?: AdrFormat;
  flow: Flow;
  /** The team's decisions (may include the record itself): titles and file names of linked records. */
  decisions: readonly Decision[];
  /** The Slack thread, for a record whose `permalink` is not stored yet. */
  threadLink?: string;
};

/** The day a record was last updated, as MADR's `date` wants it. */
/** The day a record last changed (YYYY-MM-DD); a stored time that is not ISO 8601 gives `unknown`, never its raw text. */
export const adrDate = (d: Pick<Decision, 'updatedAt'>): string => {
  const day = d.updatedAt.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(d.updatedAt)) ? day : 'unknown';
};

/** The H1 of a record exactly as written in its file (escaped, one line). */
export const adrHeading = (d: Pick<Decision, 'title'>): string => inline(d.title) || 'Untitled decision';

/** MADR's status value: `superseded by ADR-0007` names the successor, as MADR's template shows. */
export const adrStatus = statusLabel;

export const adrFileOf = (d: Pick<Decision, 'number' | 'title'>): string => adrFileName(d.number, d.title);

/** A Markdown link to another record of the same folder: `[ADR-0001: Title](0001-title.md)`. */
export function adrLink(d: Pick<Decision, 'number' | 'title'>): string {
  return `[${adrId(d.number)}: ${adrHeading(d)}](${adrFileOf(d)})`;
}

const nameOf = patternName;

/** Lower-cases a leading capital so a phrase reads on after "because", but leaves acronyms (CNI, L7) alone. */
function afterBecause(text: string): string {
  const t = inline(text);
  return /^[A-Z](?![A-Z0-9])/.test(t) ? t[0]?.toLowerCase() + t.slice(1) : t;
}

const withPeriod = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);
const withoutPeriod = (text: string): string => text.replace(/[.!?\s]+$/, '');
const dedupe = <T>(xs: T[]): T[] => [...new Set(xs)];

const labelsOf = (flow: Flow, question: string, value: AnswerValue): string =>
  answerLabels(flow, question, value).join('; ');

/** Question ids in interview order, then any the flow no longer has, by id. */
function answeredQuestions(flow: Flow, answers: Record<string, AnswerValue>): string[] {
  const known = flow.interview.questions.map((q) => q.id).filter((id) => id in answers);
  const unknown = Object.keys(answers)
    .filter((id) => !flow.questionById.has(id))
    .sort();
  return [...known, ...unknown];
}

function answerLine(flow: Flow, d: Decision, question: string): string | undefined {
  const value = d.answers[question];
  if (value === undefined) return undefined;
  const prompt = flow.questionById.get(question)?.prompt ?? question;
  return `${inline(prompt)} **${inline(labelsOf(flow, question, value))}**`;
}

/** Slack ts "1700000000.000100" as a string that sorts in time order. */
const tsKey = (ts: string): string => {
  const [sec = '', frac = ''] = ts.split('.');
  return `${sec.padStart(16, '0')}.${frac.padEnd(8, '0')}`;
};

/** Each reply once (the last stored version of a ts wins), deleted ones dropped, in thread order. */
export function threadReplies(replies: readonly Reply[]): Reply[] {
  const byTs = new Map<string, Reply>();
  const deleted = new Set<string>();
  for (const r of replies) {
    if (r.deleted) deleted.add(r.ts);
    byTs.set(r.ts, r);
  }
  return [...byTs.values()]
    .filter((r) => !deleted.has(r.ts))
    .sort((a, b) => (tsKey(a.ts) < tsKey(b.ts) ? -1 : tsKey(a.ts) > tsKey(b.ts) ? 1 : 0));
}

function lastById<T>(items: readonly T[], key: (t: T) => string, order: (a: T, b: T) => number): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return [...byKey.values()].sort(order);
}

const byAtThen =
  <T extends { at: string }>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

const concernsOf = (d: Decision): Concern[] =>
  lastById(
    d.concerns,
    (c) => c.id,
    byAtThen((c) => c.id),
  );
const approvalsOf = (d: Decision): Approval[] =>
  lastById(
    d.approvals,
    (a) => a.by,
    byAtThen((a) => a.by),
  );

/** Display names by user id, from every place the record keeps one. */
function namesOf(d: Decision): Map<string, string> {
  const names = new Map<string, string>();
  const add = (id: string | undefined, name: string | undefined) => {
    if (id && name?.trim() && !names.has(id)) names.set(id, oneLine(name));
  };
  add(d.decidedBy, d.decidedByName);
  add(d.createdBy, d.createdByName);
  for (const a of d.approvals) add(a.by, a.byName);
  for (const c of d.concerns) add(c.by, c.byName);
  for (const r of d.replies) add(r.user, r.userName);
  for (const t of Object.values(d.checklistTicks)) add(t.by, t.byName);
  return names;
}

function people(d: Decision): { makers: string[]; consulted: string[] } {
  const names = namesOf(d);
  const person = (id: string | undefined) => (id ? oneLine(names.get(id) ?? id) : '');
  const makers = dedupe(
    [person(d.decidedBy), person(d.createdBy), ...approvalsOf(d).map((a) => person(a.by))].filter(Boolean),
  );
  const voices = [...concernsOf(d).map((c) => c.by), ...threadReplies(d.replies).map((r) => r.user)];
  const consulted = dedupe(voices.map(person).filter((p) => p && !makers.includes(p)));
  return { makers, consulted };
}

/** YAML front matter made by the yaml package: user text always double-quoted, status and date plain as in MADR. */
function frontMatter(d: Decision): string {
  const { makers, consulted } = people(d);
  const data: Record<string, unknown> = { status: adrStatus(d), date: adrDate(d), 'decision-makers': makers };
  if (consulted.length) data.consulted = consulted;
  const doc = new Document(data);
  visit(doc, {
    Scalar(key, node) {
      if (key !== 'key' && typeof node.value === 'string') node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  for (const key of ['status', 'date']) {
    const node = doc.get(key, true);
    if (node instanceof Scalar) node.type = Scalar.PLAIN;
  }
  return `---\n${doc.toString({ lineWidth: 0 })}---\n`;
}

/**
 * MADR 2's header list as log4brains reads it: the text of each item after `Key:`. The successor is named by its
 * file name without `.md` (log4brains' slug), linked as log4brains itself writes it; deciders are split on commas,
 * so a comma inside a name becomes a space.
 */
function headerList(d: Decision, ctx: AdrContext): string[] {
  const successor = d.supersededBy ? ctx.decisions.find((x) => x.number === d.supersededBy) : undefined;
  const slug = successor ? adrFileOf(successor).replace(/\.md$/, '') : undefined;
  const status = d.status === 'superseded' && slug ? `superseded by [${slug}](${slug}.md)` : d.status;
  const deciders = people(d).makers.map((name) => inline(name.replace(/,/g, ' ')));
  return [
    `- Status: ${status}`,
    ...(deciders.length ? [`- Deciders: ${deciders.join(', ')}`] : []),
    `- Date: ${adrDate(d)}`,
  ];
}

function considered(d: Decision): string[] {
  const rec = d.recommendation;
  return dedupe([...d.chosen, ...recommendedPatterns(rec), ...rec.notNow]);
}

function context(flow: Flow, d: Decision): string[] {
  const lines = answeredQuestions(flow, d.answers)
    .map((q) => answerLine(flow, d, q))
    .filter((l) => l !== undefined)
    .map((l) => `- ${l}`);
  return [
    'How should this system carry service-to-service and cluster-to-cluster traffic, given what hurts today:',
    'keep plain Kubernetes networking, or add a service mesh, a cluster mesh, multi-cluster without a mesh, or federation?',
    '',
    ...(d.scope?.length ? [`It covers these clusters or environments: ${d.scope.map(inline).join(', ')}.`, ''] : []),
    lines.length ? "The team's answers to the mesh-help interview:" : 'The interview recorded no answers.',
    ...(lines.length ? ['', ...lines] : []),
  ];
}

function drivers(flow: Flow, d: Decision): string[] {
  const { answers, teamReason, warnings } = decisionDrivers(flow, d);
  const lines = dedupe(
    answers.map((r) => {
      const answer = r.labels && `${inline(r.prompt ?? r.question)} **${inline(r.labels.join('; '))}**`;
      return `- ${answer ? `${answer}: ` : ''}${withPeriod(inline(r.because))}`;
    }),
  );
  if (teamReason !== undefined) lines.push(`- The team's own reason: ${withPeriod(inline(teamReason))}`);
  for (const w of warnings) lines.push(`- Warning: ${withPeriod(inline(w))}`);
  return lines.length ? lines : ['- No single answer weighed more than the others.'];
}

function outcome(flow: Flow, d: Decision, ctx: AdrContext): string[] {
  const rec = d.recommendation;
  const choice = choiceView(flow, d);
  const chosenNames = choice.chosen.map(inline).join(' with ');
  const out: string[] = [];
  if (choice.override) {
    const reason = choice.override.reason;
    const why = reason?.trim() ? withoutPeriod(inline(reason)) : 'the team chose it';
    const recNames = choice.override.recommended.map(inline).join(' with ');
    out.push(`Chosen option: "${chosenNames}", because ${why}.`);
    out.push('', `The team overrode mesh-help's recommendation, "${recNames}", and gave the reason above.`);
  } else {
    const primary = d.chosen[0] ?? rec.primary;
    const because = rec.reasons.filter((r) => r.pattern === primary).map((r) => withPeriod(inline(r.because)));
    const justification = because.length
      ? `it fits the team's answers best: ${withoutPeriod(because.join(' '))}`
      : "it fits the team's answers best";
    out.push(`Chosen option: "${chosenNames}", because ${justification}.`);
  }
  const successor = d.supersededBy ? ctx.decisions.find((x) => x.number === d.supersededBy) : undefined;
  const state = match(d.status)
    .with('proposed', () => 'This record is proposed: the option above is on the table and not accepted yet.')
    .with('accepted', () => undefined)
    .with('rejected', () => 'The team rejected this proposal.')
    .with('deprecated', () => 'This decision is deprecated and no longer guides new work.')
    .with('superseded', () =>
      successor ? `This decision is superseded by ${adrLink(successor)}.` : 'This decision is superseded.',
    )
    .exhaustive();
  if (state) out.push('', state);

  const effects = decisionConsequences(flow, d);
  const consequences: string[] = [];
  for (const p of effects.patterns) {
    const tag = effects.tagged ? ` (${inline(p.name)})` : '';
    consequences.push(...p.good.map((x) => `- Good, because ${afterBecause(x)}${tag}`));
    consequences.push(...p.bad.map((x) => `- Bad, because ${afterBecause(x)}${tag}`));
  }
  consequences.push(...effects.warnings.map((w) => `- Bad, because ${withPeriod(afterBecause(w))}`));
  const tools = chosenTools(flow, d);
  if (tools.length)
    out.push('', "Chosen tools, from the tool catalogue mesh-help keeps with each fact's source:", '', ...tools);
  if (consequences.length) out.push('', '### Consequences', '', ...consequences);
  const confirmation = confirmationOf(d);
  if (confirmation.length) out.push('', '### Confirmation', '', ...confirmation);
  // Contract v3's sensitivity: the single answers that would change the recommendation, for the next review.
  const changes = (rec.sensitivity ?? []).map((s) => `- ${withPeriod(inline(s.because))}`);
  if (changes.length) out.push('', '### What would change this decision', '', ...changes);
  return out;
}

/** Layers the team adopted that mesh-help recommended: the ones its tools and checklist speak for. */
const adoptedLayers = (d: Decision): string[] =>
  recommendedPatterns(d.recommendation).filter((p) => d.chosen.includes(p));

/** "- Service mesh: Istio, ambient mode (GA, checked 2026-11). Why…", then alternatives and what to avoid. */
function chosenTools(flow: Flow, d: Decision): string[] {
  const out: string[] = [];
  const label = (id: string) => {
    const t = flow.toolById.get(id);
    return `${inline(toolName(flow, id))}${t ? ` (${inline(toolStatusLine(t))})` : ''}`;
  };
  for (const pattern of adoptedLayers(d)) {
    const choices = d.recommendation.tools.filter((t) => t.pattern === pattern);
    const first = choices.find((t) => t.fit === 'first-choice');
    if (!first) continue;
    const source = safeUrl(flow.toolById.get(first.tool)?.source);
    // v3: a reason may cite pages of its own (a cloud's load balancers), beside the tool's source.
    const cited = (first.sources ?? []).map((u) => safeUrl(u)).filter((u) => u !== undefined && u !== source);
    out.push(
      `- ${inline(nameOf(flow, pattern))}: ${label(first.tool)}. ${withPeriod(inline(first.because))}${
        source ? ` [Source](${source})` : ''
      }${cited.map((u) => ` [Source](${u})`).join('')}`,
    );
    const alternatives = choices.filter((t) => t.fit === 'alternative').map((t) => label(t.tool));
    if (alternatives.length) out.push(`  - Alternatives: ${alternatives.join(', ')}.`);
    for (const t of choices.filter((x) => x.fit === 'avoid')) {
      out.push(`  - Avoid ${inline(toolName(flow, t.tool))}: ${withPeriod(inline(t.because))}`);
    }
  }
  return out;
}

/** MADR's Confirmation: the readiness checklist, ticked or not, with who ticked each item. */
function confirmationOf(d: Decision): string[] {
  const layers = adoptedLayers(d);
  const lines = checklistState(d.recommendation, d.checklistTicks).filter((l) => layers.includes(l.pattern));
  if (lines.length === 0) return [];
  const names = namesOf(d);
  const done = lines.filter((l) => l.tick).length;
  return [
    `Before the first cluster changes, the team confirms each item below (${done} of ${lines.length} done):`,
    '',
    ...lines.map((l) => {
      const by = l.tick
        ? ` (ticked by ${inline(l.tick.byName?.trim() ? l.tick.byName : (names.get(l.tick.by) ?? l.tick.by))} on ${inline(l.tick.at.slice(0, 10))})`
        : '';
      return `- [${l.tick ? 'x' : ' '}] ${withPeriod(inline(l.item))}${by} ${withPeriod(inline(l.because))}`;
    }),
  ];
}

function prosAndCons(flow: Flow, d: Decision): string[] {
  const rec = d.recommendation;
  const out: string[] = [];
  for (const id of considered(d)) {
    const p = flow.patternById.get(id);
    const against = rec.notNow.includes(id);
    const reasons = rec.reasons
      .filter((r) => r.pattern === id)
      .map((r) => `- ${against ? 'Bad' : 'Good'}, because ${withPeriod(afterBecause(r.because))}`);
    const bullets = dedupe([
      ...reasons,
      ...(p?.pros ?? []).map((x) => `- Good, because ${afterBecause(x)}`),
      ...(p ? [`- Neutral, because it works at this layer: ${inline(p.layer)}`] : []),
      ...(p?.cons ?? []).map((x) => `- Bad, because ${afterBecause(x)}`),
    ]);
    out.push('', `### ${inline(nameOf(flow, id))}`);
    if (p) out.push('', inline(p.solves));
    if (bullets.length) out.push('', ...bullets);
  }
  return out;
}

function moreInformation(d: Decision, ctx: AdrContext): string[] {
  const names = namesOf(d);
  const who = (id: string | undefined, name?: string) => inline(name?.trim() ? name : id ? (names.get(id) ?? id) : '');
  const day = (iso: string) => inline(iso.slice(0, 10));
  const out: string[] = [];

  // MADR 4 keeps them in the front matter; MADR 2's header list has no place for them.
  const { consulted } = people(d);
  if (ctx.format === 'log4brains' && consulted.length) out.push(`- Consulted: ${consulted.map(inline).join(', ')}.`);

  const thread = safeUrl(d.permalink) ?? safeUrl(ctx.threadLink);
  if (thread) out.push(`- Discussed in [the Slack thread](${thread}).`);

  const history = d.history.map((h) => `${h.to} on ${day(h.at)} by ${who(h.by, h.byName)}`);
  if (history.length) out.push(`- History: ${history.join('; ')}.`);

  const predecessors = ctx.decisions.filter((x) => x.supersededBy === d.number).sort((a, b) => a.number - b.number);
  for (const old of predecessors) out.push(`- Supersedes ${adrLink(old)}.`);
  if (d.supersedes && !predecessors.some((x) => x.number === d.supersedes)) {
    const old = ctx.decisions.find((x) => x.number === d.supersedes);
    const ref = old ? adrLink(old) : adrId(d.supersedes);
    out.push(
      d.status === 'proposed' ? `- Revisits ${ref}; accepting this record supersedes it.` : `- Revisits ${ref}.`,
    );
  }
  const successor = d.supersededBy ? ctx.decisions.find((x) => x.number === d.supersededBy) : undefined;
  if (d.supersededBy) out.push(`- Superseded by ${successor ? adrLink(successor) : adrId(d.supersededBy)}.`);

  if (d.revisitOn) out.push(`- Revisit this decision by ${inline(d.revisitOn)}.`);

  // What changed since acceptance (catalogue or engine), and the team's word where it acknowledged it.
  for (const v of driftsOf(ctx.flow, d)) {
    const ack = v.ack
      ? ` Acknowledged by ${who(v.ack.by, v.ack.byName)} on ${day(v.ack.at)}: still right for us, because ${inline(v.ack.reason)}.`
      : '';
    out.push(`- The basis changed since acceptance: ${inline(v.text)}.${ack}`);
  }

  const approvals = approvalsOf(d);
  if (approvals.length) {
    out.push(`- Approved by ${approvals.map((a) => `${who(a.by, a.byName)} on ${day(a.at)}`).join(', ')}.`);
  }

  if (d.ruleChanges?.length) {
    const changes = d.ruleChanges.map(
      (c) => `${inline(c.setting)} ${inline(c.from)} → ${inline(c.to)} by ${who(c.by)} on ${day(c.at)}`,
    );
    out.push(
      `- Accepted under the rule of ${count(d.acceptedUnderApprovals ?? 0, 'approval')}; the team's rules changed around this decision: ${changes.join('; ')}.`,
    );
  }

  const concerns = concernsOf(d);
  if (concerns.length) {
    out.push('- Concerns raised:');
    for (const c of concerns) {
      const state = c.resolvedBy
        ? `resolved by ${who(c.resolvedBy)}${c.resolvedAt ? ` on ${day(c.resolvedAt)}` : ''}`
        : 'open';
      out.push(`  - ${who(c.by, c.byName)} on ${day(c.at)}: ${inline(c.text)} (${state})`);
    }
  }

  const replies = threadReplies(d.replies).filter((r) => oneLine(r.text));
  if (replies.length) {
    out.push('- Key replies in the thread:');
    for (const r of replies) {
      const link = safeUrl(r.permalink);
      const when = link ? `[${day(r.at)}](${link})` : day(r.at);
      out.push(`  - ${who(r.user, r.userName)} (${when}): ${inline(r.text)}`);
    }
  }
  return out.length ? out : ['- Nothing else was recorded.'];
}

/** A decision record as a MADR file in the context's format; pure and deterministic: the same input gives the same bytes. */
export function renderAdr(d: Decision, ctx: AdrContext): AdrFile {
  const { flow } = ctx;
  const log4brains = ctx.format === 'log4brains';
  const body = [
    `# ${adrHeading(d)}`,
    '',
    ...(log4brains ? [...headerList(d, ctx), ''] : []),
    '## Context and Problem Statement',
    '',
    ...context(flow, d),
    '',
    '## Decision Drivers',
    '',
    ...drivers(flow, d),
    '',
    '## Considered Options',
    '',
    ...considered(d).map((id) => `- ${inline(nameOf(flow, id))}`),
    '',
    '## Decision Outcome',
    '',
    ...outcome(flow, d, ctx),
    ...topologySection(flow, d),
    '',
    '## Pros and Cons of the Options',
    ...prosAndCons(flow, d),
    '',
    '## More Information',
    '',
    ...moreInformation(d, ctx),
  ];
  // The H1 follows the front matter directly: adr-log takes a file's first body line as its title.
  return { fileName: adrFileOf(d), content: `${log4brains ? '' : frontMatter(d)}${body.join('\n')}\n` };
}
