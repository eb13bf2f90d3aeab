import { completeAnswers, holds } from './answers.js';
import type { Answers, Flow, Rule } from './flow.js';
import { conditionQuestions } from './load.js';

/** Why a pattern is named: the rule's words and the question they came from. */
export type Reason = { pattern: string; question: string; because: string };

/** The contract's recommendation (shared/spec/interview.md). */
export type Recommendation = {
  primary: string;
  complements: string[];
  notNow: string[];
  reasons: Reason[];
  warnings: string[];
};

type Evidence = { score: number; ruledOut: boolean; forReasons: Reason[]; againstReasons: Reason[] };

const reasonOf = (rule: Rule): Reason => ({
  pattern: rule.pattern,
  question: rule.cites ?? conditionQuestions(rule.when)[0] ?? '',
  because: rule.because,
});

/** Answers (missing ones defaulted) → the recommendation, driven only by flows/rules.yaml. */
export function recommend(flow: Flow, given: Answers): Recommendation {
  const answers = completeAnswers(flow, given);
  const { threshold, rules, warnings, fallback } = flow.rules;
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

  // Highest score first; the catalogue's order breaks ties so output is stable.
  const ranked = order
    .filter((id) => {
      const ev = evidence.get(id);
      return ev && !ev.ruledOut && ev.score >= threshold && id !== fallback.pattern;
    })
    .sort((a, b) => (evidence.get(b)?.score ?? 0) - (evidence.get(a)?.score ?? 0));

  const primary = ranked[0] ?? fallback.pattern;
  const alternativesOf = (id: string) => flow.patternById.get(id)?.alternatives ?? [];
  const complements: string[] = [];
  for (const id of ranked.slice(1)) {
    const chosen = [primary, ...complements];
    if (chosen.some((c) => alternativesOf(c).includes(id) || alternativesOf(id).includes(c))) continue;
    complements.push(id);
  }
  const named = new Set([primary, ...complements]);
  const notNow = order.filter((id) => !named.has(id) && (evidence.get(id)?.againstReasons.length ?? 0) > 0);

  const reasons: Reason[] = [];
  for (const id of [primary, ...complements]) reasons.push(...(evidence.get(id)?.forReasons ?? []));
  if (!reasons.some((r) => r.pattern === primary)) {
    reasons.unshift({ pattern: fallback.pattern, question: fallback.question, because: fallback.because });
  }
  for (const id of notNow) reasons.push(...(evidence.get(id)?.againstReasons ?? []));

  const warningTexts = warnings.filter((w) => holds(w.when, answers, named)).map((w) => w.text);
  return { primary, complements, notNow, reasons, warnings: warningTexts };
}
