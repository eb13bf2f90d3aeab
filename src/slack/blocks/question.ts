import type { ActionsBlock, Checkboxes, KnownBlock, PlainTextOption, StaticSelect } from '@slack/types';
import { match } from 'ts-pattern';
import type { Session } from '../../domain/model.js';
import { askedQuestions, nextQuestion } from '../../engine/answers.js';
import type { Flow, Question } from '../../engine/flow.js';
import { questionsAnswered, questionsLeft } from '../../engine/progress.js';
import { escapeText } from '../escape.js';
import {
  ANSWERS_BLOCK,
  answerActionId,
  changeActionId,
  confirmActionId,
  pickActionId,
  questionBlockId,
} from '../ids.js';
import { actions, button, context, LIMITS, type Message, plain, section } from './kit.js';
import { answerLabel } from './labels.js';

/** The part of a session the interview message shows. */
export type InterviewView = Pick<Session, 'answers' | 'status' | 'version'> & {
  answerRevs?: Record<string, number> | undefined;
  editing?: string | undefined;
};

/** What the interview message shows: a question (the next one, or one opened again), or only the answers. */
export type InterviewState =
  | { kind: 'asking'; question: Question; again: boolean }
  | { kind: 'complete' }
  | { kind: 'closed' };

export function interviewState(flow: Flow, view: InterviewView): InterviewState {
  if (view.status === 'decided' || view.status === 'abandoned') return { kind: 'closed' };
  const asked = askedQuestions(flow, view.answers);
  const again = view.editing ? asked.find((q) => q.id === view.editing && view.answers[q.id] !== undefined) : undefined;
  if (again) return { kind: 'asking', question: again, again: true };
  const next = nextQuestion(flow, view.answers);
  return next ? { kind: 'asking', question: next, again: false } : { kind: 'complete' };
}

/** The choices of a question (`q:<id>`, option ids as values), the stored answer marked. */
function choices(q: Question, view: InterviewView): ActionsBlock {
  const rev = view.answerRevs?.[q.id] ?? 0;
  const answer = view.answers[q.id];
  return match(q.kind)
    .with('single', () =>
      actions(
        questionBlockId(q.id),
        q.options.map((o) => button(o.label, answerActionId(rev, o.id), o.id, answer === o.id ? 'primary' : undefined)),
      ),
    )
    .with('multi', () => {
      const options: PlainTextOption[] = q.options.map((o) => ({
        text: plain(o.label, LIMITS.optionText),
        value: o.id,
      }));
      const chosen = Array.isArray(answer) ? answer : [];
      const initial = options.filter((o) => chosen.includes(o.value ?? ''));
      const boxes: Checkboxes = {
        type: 'checkboxes',
        action_id: pickActionId(rev, view.version),
        options,
        ...(initial.length ? { initial_options: initial } : {}),
      };
      return actions(questionBlockId(q.id), [
        boxes,
        button(answer === undefined ? 'Confirm' : 'Confirm change', confirmActionId(rev), 'confirm', 'primary'),
      ]);
    })
    .exhaustive();
}

const shortName = (q: Question): string => q.short ?? q.prompt;

/** The answered questions, in interview order (only those still asked: a dropped answer is gone). */
const answeredQuestions = (flow: Flow, view: InterviewView): Question[] =>
  askedQuestions(flow, view.answers).filter((q) => view.answers[q.id] !== undefined);

/** "Change an answer": one menu for every answered question, so the thread keeps one control, not one per line. */
function changeMenu(flow: Flow, view: InterviewView, answered: Question[]): StaticSelect {
  return {
    type: 'static_select',
    action_id: changeActionId(view.version),
    placeholder: plain('Change an answer', LIMITS.optionText),
    options: answered.slice(0, 100).map((q) => ({
      text: plain(`${shortName(q)}: ${answerLabel(flow, q.id, view.answers[q.id])}`, LIMITS.optionText),
      value: q.id,
    })),
  };
}

/** The answers so far as compact lines (labels, not ids), with the Change menu beside them while they may change. */
function answersBlock(flow: Flow, view: InterviewView, title: string, changeable: boolean): KnownBlock | undefined {
  const answered = answeredQuestions(flow, view);
  if (!answered.length) return undefined;
  const lines = answered.map(
    (q) => `${escapeText(shortName(q))}: *${escapeText(answerLabel(flow, q.id, view.answers[q.id]))}*`,
  );
  return section(`${title}\n${lines.join('\n')}`, {
    block_id: ANSWERS_BLOCK,
    ...(changeable ? { accessory: changeMenu(flow, view, answered) } : {}),
  });
}

/** Where the interview stands: a bound on what is left that only falls as answers come in. */
function progressLine(flow: Flow, view: InterviewView, again: boolean): string {
  if (again) return 'Changing an earlier answer: choose again, or choose the same answer to keep it';
  const number = questionsAnswered(flow, view.answers) + 1;
  // Answered plus the bound on what is left: a total that falls, or stays, with every answer.
  const total = number - 1 + Math.max(1, questionsLeft(flow, view.answers));
  return total === number ? `Question ${number} of ${number}, the last one` : `Question ${number} of at most ${total}`;
}

/**
 * The one interview message of a thread, updated in place: the answers so
 * far (each changeable through one menu), then the current question with its
 * choices. When the interview is complete it shows only the answers, and once
 * it is decided or closed it keeps no control at all.
 */
export function interviewMessage(flow: Flow, view: InterviewView): Message {
  const state = interviewState(flow, view);
  return match(state)
    .with({ kind: 'asking' }, ({ question: q, again }): Message => {
      const prompt = escapeText(q.prompt);
      const answers = answersBlock(flow, view, '*Answers so far*', true);
      const blocks: KnownBlock[] = [
        ...(answers ? [answers] : []),
        section(`*${prompt}*`),
        context(`${progressLine(flow, view, again)} · :bulb: ${escapeText(q.help)}`),
        choices(q, view),
      ];
      if (q.kind === 'multi') blocks.push(context('Tick every box that applies, then confirm.'));
      return { text: `Interview: ${q.prompt}`, blocks };
    })
    .with({ kind: 'complete' }, (): Message => {
      const answers = answersBlock(flow, view, '*Answers* (the recommendation is below)', true);
      return { text: 'Interview complete', blocks: answers ? [answers] : [section('Interview complete.')] };
    })
    .with({ kind: 'closed' }, (): Message => {
      const answers = answersBlock(flow, view, '*Answers*', false);
      return { text: 'Interview answers', blocks: answers ? [answers] : [section('Interview closed.')] };
    })
    .exhaustive();
}

/** A question message of an interview begun before the single interview message: it points at its successor. */
export function retiredQuestionMessage(flow: Flow, questionId: string): Message {
  const q = flow.questionById.get(questionId);
  const prompt = escapeText(q?.prompt ?? questionId);
  return {
    text: `Moved: ${q?.prompt ?? questionId}`,
    blocks: [context(`~${prompt}~ This interview now goes on in one message further down the thread.`)],
  };
}
