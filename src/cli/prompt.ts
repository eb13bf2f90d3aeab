import { answerLabels } from '../domain/presentation.js';
import { applyAnswer, formatAnswerError, nextQuestion, progress } from '../engine/answers.js';
import type { Answers, Flow, Question } from '../engine/flow.js';
import { CodedError } from '../errors.js';

/** Reads one line of input; resolves undefined at end of input. */
export type Ask = (prompt: string) => Promise<string | undefined>;
export type Print = (text: string) => void;

export class InputClosed extends CodedError<'input'> {
  readonly family = 'input';
  readonly code = 'input_closed';
  constructor() {
    super('input ended before the interview was complete');
  }
}

function describe(flow: Flow, q: Question, answers: Answers): string {
  const { index, total } = progress(flow, answers, q.id);
  const def = Array.isArray(q.default) ? q.default : [q.default];
  const lines = [
    '',
    `Question ${index} of ${total}: ${q.prompt}`,
    ...q.options.map((o, i) => `  ${String(i + 1).padStart(2)}) ${o.label}${def.includes(o.id) ? '  (default)' : ''}`),
    q.kind === 'multi'
      ? '  Several numbers allowed (e.g. 1,3). Enter = default, ? = why this matters, b = back.'
      : '  Enter a number. Enter = default, ? = why this matters, b = back.',
  ];
  return lines.join('\n');
}

/** Turns "1, 3" or "mtls" into option ids; undefined when the input names no option. */
export function parseChoice(q: Question, input: string): string | string[] | undefined {
  const parts = input.split(/[\s,]+/).filter(Boolean);
  const ids: string[] = [];
  for (const part of parts) {
    const n = Number(part);
    const option = Number.isInteger(n) ? q.options[n - 1] : q.options.find((o) => o.id === part);
    if (!option) return undefined;
    ids.push(option.id);
  }
  if (ids.length === 0) return undefined;
  if (q.kind === 'single') return ids.length === 1 ? ids[0] : undefined;
  return ids;
}

/** Called after every change of the answers, with them and the questions in the order answered (to save them). */
export type OnProgress = (answers: Answers, asked: readonly string[]) => void;

/**
 * Runs the interview in a terminal: numbered choices, help on request, back to
 * change an answer. `start` and `askedBefore` resume an interview cut off earlier.
 */
export async function promptInterview(
  flow: Flow,
  ask: Ask,
  print: Print,
  start: Answers = {},
  onProgress?: OnProgress,
  askedBefore: readonly string[] = [],
): Promise<Answers> {
  let answers: Answers = { ...start };
  const asked: string[] = askedBefore.filter((q) => q in answers);
  for (;;) {
    const q = nextQuestion(flow, answers);
    if (!q) return answers;
    print(describe(flow, q, answers));
    for (;;) {
      const line = await ask('> ');
      if (line === undefined) throw new InputClosed();
      const input = line.trim();
      if (input === '?') {
        print(`  Why it matters: ${q.help}`);
        continue;
      }
      if (input === 'b') {
        const previous = asked.pop();
        if (!previous) {
          print('  This is the first question.');
          continue;
        }
        const { [previous]: _dropped, ...rest } = answers;
        answers = rest;
        onProgress?.(answers, asked);
        break;
      }
      const value = input === '' ? q.default : parseChoice(q, input);
      if (value === undefined) {
        print(
          `  Please enter ${q.kind === 'multi' ? 'one or more numbers' : 'a number'} between 1 and ${q.options.length}.`,
        );
        continue;
      }
      const applied = applyAnswer(flow, answers, q.id, value);
      if (!applied.ok) {
        print(`  ${formatAnswerError(applied.error)}`);
        continue;
      }
      answers = applied.value;
      asked.push(q.id);
      onProgress?.(answers, asked);
      print(`  ✓ ${answerLabels(flow, q.id, value).join(', ')}`);
      break;
    }
  }
}
