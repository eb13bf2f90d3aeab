import type { ActionsBlock, Checkboxes, KnownBlock, PlainTextOption } from '@slack/types';
import { match } from 'ts-pattern';
import type { Session } from '../../domain/model.js';
import { askedQuestions, progress } from '../../engine/answers.js';
import type { Flow, Question } from '../../engine/flow.js';
import { escapeText } from '../escape.js';
import { answerActionId, confirmActionId, pickActionId, questionBlockId } from '../ids.js';
import { actions, button, context, LIMITS, type Message, plain, section, who } from './kit.js';
import { answerLabel } from './labels.js';

/** The part of a session a question message shows. */
export type QuestionView = Pick<Session, 'answers' | 'answeredBy' | 'status'> & {
  answerRevs?: Record<string, number> | undefined;
};

/** Where a question stands for this session: asked, no longer applicable, or frozen by a decision. */
export type QuestionState = 'asked' | 'retired' | 'frozen';

export function questionState(flow: Flow, view: QuestionView, questionId: string): QuestionState {
  if (!askedQuestions(flow, view.answers).some((q) => q.id === questionId)) return 'retired';
  return view.status === 'decided' || view.status === 'abandoned' ? 'frozen' : 'asked';
}

function choices(q: Question, view: QuestionView): ActionsBlock {
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
        action_id: pickActionId(rev),
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

/** One interview question in the thread: prompt, progress, help, choices (`q:<id>`) and who answered. */
export function questionMessage(flow: Flow, view: QuestionView, questionId: string): Message {
  const q = flow.questionById.get(questionId);
  if (!q) throw new Error(`unknown question ${questionId}`);
  const state = questionState(flow, view, questionId);
  const prompt = escapeText(q.prompt);
  return match(state)
    .with(
      'retired',
      (): Message => ({
        text: `No longer asked: ${q.prompt}`,
        blocks: [
          section(`~${prompt}~`),
          context('No longer asked: an earlier answer changed, so this question does not apply any more.'),
        ],
      }),
    )
    .with('asked', 'frozen', (): Message => {
      const { index, total } = progress(flow, view.answers, q.id);
      const answer = view.answers[q.id];
      const by = view.answeredBy[q.id]?.by;
      const blocks: KnownBlock[] = [
        section(`*Question ${index} of ${total}*\n${prompt}`),
        context(`:bulb: ${escapeText(q.help)}`),
      ];
      if (state === 'asked') blocks.push(choices(q, view));
      if (answer !== undefined) {
        const chosen = `*${escapeText(answerLabel(flow, q.id, answer))}*`;
        blocks.push(
          context(
            state === 'asked'
              ? `:white_check_mark: ${by ? who(by) : 'Someone'} chose ${chosen}. Anyone can change it by choosing again.`
              : `:white_check_mark: ${by ? who(by) : 'Someone'} chose ${chosen}.`,
          ),
        );
      } else if (q.kind === 'multi' && state === 'asked') {
        blocks.push(context('Tick every box that applies, then confirm.'));
      }
      return { text: `Question ${index} of ${total}: ${q.prompt}`, blocks };
    })
    .exhaustive();
}
