import { askedQuestions } from './answers.js';
import type { Answers, Condition, Flow, Question } from './flow.js';

/**
 * How many questions may still be asked, as a bound that only falls while
 * answers come in (the interview never promises less than it asks).
 *
 * A condition is read three ways: true, false, or not known yet (it names a
 * question that may still be answered). A question still counts while its
 * `when` and `ask` are not known to be false; answering one only turns
 * unknowns into knowns, so the set of questions that may come can only shrink.
 * A question known never to be asked keeps no answer for good, which can
 * settle conditions on it in turn (repeated until nothing changes).
 */
type Tri = boolean | undefined;

function tri(cond: Condition, answers: Answers, never: ReadonlySet<string>): Tri {
  if ('question' in cond) {
    const value = answers[cond.question];
    // An unanswered question that may still be asked could take any option.
    if (value === undefined) return never.has(cond.question) ? false : undefined;
    const chosen = Array.isArray(value) ? value : [value];
    return 'anyOf' in cond ? chosen.some((v) => cond.anyOf.includes(v)) : chosen.every((v) => !cond.noneOf.includes(v));
  }
  if ('all' in cond) {
    const parts = cond.all.map((c) => tri(c, answers, never));
    if (parts.includes(false)) return false;
    return parts.every((p) => p === true) ? true : undefined;
  }
  if ('any' in cond) {
    const parts = cond.any.map((c) => tri(c, answers, never));
    if (parts.includes(true)) return true;
    return parts.every((p) => p === false) ? false : undefined;
  }
  if ('not' in cond) {
    const inner = tri(cond.not, answers, never);
    return inner === undefined ? undefined : !inner;
  }
  // Questions never depend on the recommendation.
  return false;
}

const mayHold = (cond: Condition | undefined, answers: Answers, never: ReadonlySet<string>): boolean =>
  !cond || tri(cond, answers, never) !== false;

/** The unanswered questions that some way of answering the rest could still bring up. */
function mayComeUp(flow: Flow, answers: Answers): { questions: Question[]; capped: boolean } {
  const never = new Set<string>();
  for (;;) {
    const open = flow.interview.questions.filter(
      (q) =>
        answers[q.id] === undefined &&
        !never.has(q.id) &&
        mayHold(q.when, answers, never) &&
        mayHold(q.ask, answers, never),
    );
    const ruledOut = flow.interview.questions.filter(
      (q) => answers[q.id] === undefined && !never.has(q.id) && !open.includes(q),
    );
    if (!ruledOut.length) {
      const cap = flow.interview.askAtMost;
      return { questions: open, capped: cap !== undefined && tri(cap.when, answers, never) === true };
    }
    for (const q of ruledOut) never.add(q.id);
  }
}

/**
 * At most how many questions are left to answer, the next one included (0
 * when the interview is complete). Along any run of answers it falls by at
 * least one per answer (test/engine/progress.test.ts walks every path).
 */
export function questionsLeft(flow: Flow, answers: Answers): number {
  const { questions, capped } = mayComeUp(flow, answers);
  const cap = flow.interview.askAtMost;
  if (!capped || !cap) return questions.length;
  const answered = askedQuestions(flow, answers).filter((q) => answers[q.id] !== undefined).length;
  return Math.max(0, Math.min(questions.length, cap.questions - answered));
}

/** How many questions have an answer that counts (those still asked). */
export const questionsAnswered = (flow: Flow, answers: Answers): number =>
  askedQuestions(flow, answers).filter((q) => answers[q.id] !== undefined).length;
