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

/** How an alternative answer reads: "Flat" instead of "Unknown", or "Canary" ticked or not. */
function describeChange(q: Question, from: AnswerValue, to: AnswerValue): string {
  if (q.kind === 'single') return `“${labelOf(q, String(to))}” instead of “${labelOf(q, String(from))}”`;
  const before = Array.isArray(from) ? from : [from];
  const after = Array.isArray(to) ? to : [to];
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  const parts = [
    ...added.map((x) => `“${labelOf(q, x)}” also ticked`),
    ...removed.map((x) => `“${labelOf(q, x)}” not ticked`),
  ];
  return parts.join(' and ');
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
      const effects = [
        ...(primaryChanges ? [`the primary would be ${name(r.primary)}, not ${name(base.primary)}`] : []),
        ...tools.map((t) =>
          t.to === null
            ? `${name(t.pattern)} would no longer be recommended (now ${tool(t.from ?? '')})`
            : t.from === null
              ? `${name(t.pattern)} would be added, with ${tool(t.to)} first`
              : `the first choice for ${name(t.pattern)} would be ${tool(t.to)}, not ${tool(t.from)}`,
        ),
      ];
      out.push({
        question: q.id,
        answer,
        alternative,
        ...(primaryChanges ? { primary: r.primary } : {}),
        tools,
        because: `With ${describeChange(q, answer, alternative)} for “${q.prompt}”, ${effects.join('; ')}.`,
      });
    }
  }
  return out;
}
