import { z } from 'zod';
import { completeAnswers, holds, withoutNoneBesideChoices } from './answers.js';
import { UNUSABLE_STATUSES } from './contract.js';
import type { Answers, Flow, Rule, StockReason, Tool, ToolRule } from './flow.js';
import { conditionQuestions } from './load.js';

/** Why a pattern is placed where it is: the rule's words and the question they came from. */
export const Reason = z.looseObject({ pattern: z.string(), question: z.string(), because: z.string() });
export type Reason = z.infer<typeof Reason>;

export const ToolFit = z.enum(['first-choice', 'alternative', 'avoid']);
export type ToolFit = z.infer<typeof ToolFit>;

/** A concrete tool within a recommended pattern, and why it fits (or must be avoided). */
export const ToolChoice = z.looseObject({ pattern: z.string(), tool: z.string(), fit: ToolFit, because: z.string() });
export type ToolChoice = z.infer<typeof ToolChoice>;

/** Something that must be true before the first cluster changes, and why. */
export const ChecklistItem = z.looseObject({ pattern: z.string(), item: z.string(), because: z.string() });
export type ChecklistItem = z.infer<typeof ChecklistItem>;

/** The contract's recommendation (shared/spec/interview.md, v2); stored records from v1 have no tools or checklist. Loose: a field a newer version stored survives a save by this one. */
export const Recommendation = z.looseObject({
  primary: z.string(),
  complements: z.array(z.string()),
  notNow: z.array(z.string()),
  reasons: z.array(Reason),
  warnings: z.array(z.string()),
  tools: z.array(ToolChoice).default([]),
  checklist: z.array(ChecklistItem).default([]),
});
export type Recommendation = z.infer<typeof Recommendation>;

type Evidence = { score: number; ruledOut: boolean; forReasons: Reason[]; againstReasons: Reason[] };

const reasonOf = (rule: Rule): Reason => ({
  pattern: rule.pattern,
  question: rule.cites ?? conditionQuestions(rule.when)[0] ?? '',
  because: rule.because,
});

const stock = (pattern: string, r: StockReason): Reason => ({ pattern, question: r.question, because: r.because });

/** Answers (missing ones defaulted) → the recommendation, driven only by the files in flows/. */
export function recommend(flow: Flow, given: Answers): Recommendation {
  // Warnings read the answers as given (to point out contradictions); everything else decides on the named choices.
  const asGiven = completeAnswers(flow, given);
  const answers = withoutNoneBesideChoices(flow, asGiven);
  const { threshold, rules, fallback } = flow.rules;
  const order = flow.patterns.map((p) => p.id);
  const evidence = new Map<string, Evidence>(
    order.map((id) => [id, { score: 0, ruledOut: false, forReasons: [], againstReasons: [] }]),
  );

  for (const rule of rules) {
    if (!holds(rule.when, answers)) continue;
    const ev = evidence.get(rule.pattern);
    if (!ev) continue;
    if (rule.effect === 'support') {
      ev.score += rule.weight;
      ev.forReasons.push(reasonOf(rule));
    } else {
      if (rule.effect === 'rule-out') ev.ruledOut = true;
      else ev.score -= rule.weight;
      ev.againstReasons.push(reasonOf(rule));
    }
  }
  const scoreOf = (id: string) => evidence.get(id)?.score ?? 0;

  // Highest score first; the catalogue's order breaks ties so output is stable.
  const ranked = order
    .filter((id) => {
      const ev = evidence.get(id);
      return ev && !ev.ruledOut && ev.score >= threshold && id !== fallback.pattern;
    })
    .sort((a, b) => scoreOf(b) - scoreOf(a));

  const primary = ranked[0] ?? fallback.pattern;
  const alternativesOf = (id: string) => flow.patternById.get(id)?.alternatives ?? [];
  const complements: string[] = [];
  for (const id of ranked.slice(1)) {
    const chosen = [primary, ...complements];
    if (chosen.some((c) => alternativesOf(c).includes(id) || alternativesOf(id).includes(c))) continue;
    complements.push(id);
  }
  const recommended = [primary, ...complements];
  const named = new Set(recommended);
  // Every pattern is placed: what is not recommended is "not now", with a reason.
  const notNow = order.filter((id) => !named.has(id));

  const reasons: Reason[] = [];
  for (const id of recommended) reasons.push(...(evidence.get(id)?.forReasons ?? []));
  if (!reasons.some((r) => r.pattern === primary)) {
    const why = fallback.reasons.find((r) => !r.when || holds(r.when, answers)) ?? fallback.reasons.at(-1);
    if (why) reasons.unshift(stock(primary, why));
  }
  for (const id of notNow) {
    const against = evidence.get(id)?.againstReasons ?? [];
    if (against.length > 0) {
      reasons.push(...against);
      continue;
    }
    const why = flow.rules.notNowFallback.find((r) => r.pattern === id && (!r.when || holds(r.when, answers)));
    if (why) reasons.push(stock(id, why));
  }

  const warnings: string[] = [];
  for (const w of flow.rules.warnings) if (holds(w.when, asGiven, named)) warnings.push(w.text);
  for (const need of flow.rules.needs) {
    if (!holds(need.when, answers) || holds(need.addressedBy, answers, named)) continue;
    const text = need.unaddressed.find((u) => !u.when || holds(u.when, answers, named))?.text;
    if (text) warnings.push(text);
  }

  const tools = recommended.flatMap((id) => chooseTools(flow, id, answers, named, id !== fallback.pattern));
  const firstChoice = new Set(tools.filter((t) => t.fit === 'first-choice').map((t) => t.tool));
  const checklist = recommended.flatMap((id) =>
    flow.checklist.items
      .filter(
        (c) => c.pattern === id && (!c.tool || firstChoice.has(c.tool)) && (!c.when || holds(c.when, answers, named)),
      )
      .map((c) => ({ pattern: c.pattern, item: c.item, because: c.because })),
  );

  return {
    primary,
    complements,
    notNow,
    reasons,
    warnings: [...new Set(warnings)],
    tools,
    checklist,
  };
}

/** How many alternatives a pattern lists besides its first choice. */
const MAX_ALTERNATIVES = 3;

type Scored = { tool: Tool; score: number; texts: string[]; avoid?: string };

/** The tools of one recommended pattern: its first choice, alternatives and the tools to avoid, each with its reason. */
function chooseTools(
  flow: Flow,
  pattern: string,
  answers: Answers,
  recommended: ReadonlySet<string>,
  needsFirstChoice: boolean,
): ToolChoice[] {
  const scored = new Map<string, Scored>(
    flow.tools.tools.filter((t) => t.pattern === pattern).map((t) => [t.id, { tool: t, score: 0, texts: [] }]),
  );
  const fired = (rule: ToolRule) => !rule.when || holds(rule.when, answers, recommended);
  for (const rule of flow.tools.choices) {
    const s = scored.get(rule.tool);
    if (!s || !fired(rule)) continue;
    if (rule.effect === 'avoid') {
      s.avoid ??= rule.because;
      continue;
    }
    s.score += rule.effect === 'support' ? rule.weight : -rule.weight;
    s.texts.push(rule.because);
  }
  const all = [...scored.values()];
  const usable = (s: Scored) => s.avoid === undefined && !UNUSABLE_STATUSES.includes(s.tool.status);
  const eligible = all.filter((s) => usable(s) && s.score > 0).sort((a, b) => b.score - a.score);
  if (eligible.length === 0 && needsFirstChoice) {
    // No rule spoke for any tool: the catalogue's first usable one, described by its summary.
    const first = all.find(usable);
    if (first) eligible.push({ ...first, texts: [first.tool.summary] });
  }
  const choice = (s: Scored, fit: ToolFit): ToolChoice => ({
    pattern,
    tool: s.tool.id,
    fit,
    because: s.texts.join(' ') || s.tool.summary,
  });
  const out: ToolChoice[] = [];
  const [first, ...rest] = eligible;
  if (first) out.push(choice(first, 'first-choice'));
  for (const s of rest.slice(0, MAX_ALTERNATIVES)) out.push(choice(s, 'alternative'));
  for (const s of all) {
    if (s.avoid !== undefined) out.push({ pattern, tool: s.tool.id, fit: 'avoid', because: s.avoid });
  }
  return out;
}
