import { applicableQuestions, completeAnswers, prune } from './answers.js';
import type { Answers, AnswerValue, Flow, Question } from './flow.js';
import type { Recommendation, Sensitivity } from './recommend.js';

type Advise = (flow: Flow, answers: Answers) => Recommendation;

const firstChoices = (r: Recommendation): Map<string, string> =>
  new Map(r.tools.filter((t) => t.fit === 'first-choice').map((t) => [t.pattern, t.tool]));

const labelOf = (q: Question, id: string): string => q.options.find((o) => o.id === id)?.label ?? id;

/** The other answers one question could take: each other option, or for a multi question each option toggled. */
function otherAnswers(q: Question, current: AnswerValue): AnswerValue[] {
  const ids = q.options.map((o) => o.id);
  if (q.kind === 'single') return ids.filter((id) => id !== current);
  const now = Array.isArray(current) ? current : [current];
  const nothing = Array.isArray(q.default) ? q.default : [q.default];
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  const out: AnswerValue[] = [];
  for (const id of ids) {
    let next: string[];
    if (nothing.includes(id)) next = [...nothing];
    else if (now.includes(id)) next = now.filter((x) => x !== id);
    else next = ids.filter((x) => x === id || (now.includes(x) && !nothing.includes(x)));
    if (next.length === 0) next = [...nothing];
    if (!same(next, now) && !out.some((o) => Array.isArray(o) && same(o, next))) out.push(next);
  }
  return out;
}

/** How an alternative answer reads: answered “Flat” instead of “Unknown”, or “Canary” also ticked. */
function describeChange(q: Question, from: AnswerValue, to: AnswerValue): string {
  if (q.kind === 'single') {
    return `“${q.prompt}” were answered “${labelOf(q, String(to))}” instead of “${labelOf(q, String(from))}”`;
  }
  const before = Array.isArray(from) ? from : [from];
  const after = Array.isArray(to) ? to : [to];
  const parts = [
    ...after.filter((x) => !before.includes(x)).map((x) => `“${labelOf(q, x)}” were also ticked`),
    ...before.filter((x) => !after.includes(x)).map((x) => `“${labelOf(q, x)}” were not ticked`),
  ];
  return `${parts.join(' and ')} for “${q.prompt}”`;
}

/**
 * Contract v3's `sensitivity`: for each question that applies (asked, or left at the default the engine
 * assumed), each other answer that alone would change the primary pattern or a first-choice tool.
 */
export function sensitivityOf(flow: Flow, given: Answers, base: Recommendation, advise: Advise): Sensitivity[] {
  const complete = completeAnswers(flow, given);
  const baseFirst = firstChoices(base);
  const name = (pattern: string) => flow.patternById.get(pattern)?.name ?? pattern;
  const tool = (id: string) => flow.toolById.get(id)?.name ?? id;
  const out: Sensitivity[] = [];
  for (const q of applicableQuestions(flow, complete)) {
    const answer = complete[q.id];
    if (answer === undefined) continue;
    for (const alternative of otherAnswers(q, answer)) {
      const r = advise(flow, prune(flow, { ...given, [q.id]: alternative }));
      const first = firstChoices(r);
      const patterns = [...new Set([...baseFirst.keys(), ...first.keys()])];
      const tools = patterns
        .map((pattern) => ({ pattern, from: baseFirst.get(pattern) ?? null, to: first.get(pattern) ?? null }))
        .filter((t) => t.from !== t.to);
      const primaryChanges = r.primary !== base.primary;
      if (!primaryChanges && tools.length === 0) continue;
      const shownWithPrimary = (t: (typeof tools)[number]) =>
        primaryChanges &&
        ((t.pattern === base.primary && t.to === null) || (t.pattern === r.primary && t.from === null));
      const newFirst = first.get(r.primary);
      const effects = [
        ...(primaryChanges
          ? [
              `the primary would be ${name(r.primary)}${newFirst ? ` (first choice ${tool(newFirst)})` : ''} instead of ${name(base.primary)}`,
            ]
          : []),
        ...tools
          .filter((t) => !shownWithPrimary(t))
          .map((t) =>
            t.to === null
              ? `${name(t.pattern)} would no longer be recommended`
              : t.from === null
                ? `${name(t.pattern)} would be added, with ${tool(t.to)} first`
                : `the first choice for ${name(t.pattern)} would be ${tool(t.to)} instead of ${tool(t.from)}`,
          ),
      ];
      out.push({
        question: q.id,
        answer,
        alternative,
        ...(primaryChanges ? { primary: r.primary } : {}),
        tools,
        because: `If ${describeChange(q, answer, alternative)}, ${effects.join('; ')}.`,
      });
    }
  }
  return out;
}
