import type { KnownBlock, ModalView } from '@slack/types';
import { DEADLINE } from '../ids.js';
import type { CardTarget } from '../payloads.js';
import { actions, button, context, LIMITS, type Message, plain, who } from './kit.js';

/** `2026-11-27 10:00 UTC`. */
const when = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** What the deadline part of an active recommendation card shows. */
export type DeadlineView = { deadline?: string | undefined; approvers?: readonly string[] | undefined };

/**
 * "Set a deadline" under an active recommendation card, with the current
 * deadline and the team's required approvers. Kept apart from the card's own
 * builder, which appends it when the card still takes decisions.
 */
export function deadlineBlocks(view: DeadlineView): KnownBlock[] {
  const notes = [
    view.deadline ? `:alarm_clock: Decide by ${when(view.deadline)}.` : 'No deadline for this recommendation.',
    ...(view.approvers?.length ? [`Required approvers: ${view.approvers.map(who).join(', ')}.`] : []),
  ];
  return [
    actions(DEADLINE.block, [button(view.deadline ? 'Change the deadline' : 'Set a deadline', DEADLINE.open, 'set')]),
    context(notes.join(' ')),
  ];
}

/** The card with its deadline part, when it fits Slack's block limit (the card's own blocks always win). */
export function withDeadline(msg: Message, view: DeadlineView): Message {
  const extra = deadlineBlocks(view);
  return msg.blocks.length + extra.length <= LIMITS.messageBlocks ? { ...msg, blocks: [...msg.blocks, ...extra] } : msg;
}

/** Most working days a deadline set from the card can be away (as `config deadline`). */
export const MAX_WORKING_DAYS = 60;

/** The modal: a number of working days, or a date. */
export function deadlineModal(target: CardTarget): ModalView {
  return {
    type: 'modal',
    callback_id: DEADLINE.callback,
    private_metadata: JSON.stringify(target),
    title: plain('Set a deadline', LIMITS.viewTitle),
    submit: plain('Set it', LIMITS.viewTitle),
    close: plain('Cancel', LIMITS.viewTitle),
    blocks: [
      {
        type: 'input',
        block_id: DEADLINE.days.block,
        optional: true,
        label: plain('Working days from now'),
        element: {
          type: 'plain_text_input',
          action_id: DEADLINE.days.action,
          max_length: 2,
          placeholder: plain(`1 to ${MAX_WORKING_DAYS}, e.g. 5`),
        },
      },
      {
        type: 'input',
        block_id: DEADLINE.date.block,
        optional: true,
        label: plain('Or a date'),
        element: { type: 'datepicker', action_id: DEADLINE.date.action },
      },
      context(
        'Give one of the two. Until then the thread is reminded once a working day while approvals are missing or a concern is open; at the deadline the recommendation is accepted (quorum, no open concern) or expires.',
      ),
    ],
  };
}
