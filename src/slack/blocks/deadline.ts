import type { ModalView } from '@slack/types';
import { approvers, requiredNotApproved } from '../../domain/machine/accept.js';
import { blockers } from '../../domain/machine/step.js';
import { count } from '../../domain/plural.js';
import type { Session, TeamDoc } from '../../store/index.js';
import { DEADLINE } from '../ids.js';
import type { CardTarget } from '../payloads.js';
import { context, LIMITS, type Message, plain, section, who } from './kit.js';
import { plainWhen, slackWhen } from './when.js';

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

/** Metadata on a deadline reminder, so a restart finds it in the thread instead of posting it again. */
export const NUDGE_EVENT = 'mesh_help_deadline_nudge';

/**
 * Who the reminder names: the team's required approvers who have not approved,
 * or, when it names none, people of the interview (who started it and who answered) who have not.
 */
function notApproved(doc: TeamDoc, s: Session): string[] {
  if (doc.config.approvers?.length) return requiredNotApproved(doc, s);
  const done = new Set(approvers(s));
  return [...new Set([s.startedBy, ...Object.values(s.answeredBy).map((a) => a.by)])].filter(
    (u) => /^[UW][A-Z0-9]+$/.test(u) && !done.has(u),
  );
}

/** The daily reminder in the thread. */
export function nudgeMessage(doc: TeamDoc, s: Session): Message {
  const { missing, concerns } = blockers(doc, s);
  const parts: string[] = [];
  if (missing) {
    const people = notApproved(doc, s);
    const required = Boolean(doc.config.approvers?.length) && people.length > 0;
    parts.push(
      required
        ? `waiting for the required approval of ${people.map(who).join(', ')}`
        : `${count(missing, 'more approval')} needed${people.length ? ` (${people.map(who).join(', ')}: yours is not in yet)` : ''}`,
    );
  }
  if (concerns) parts.push(`${count(concerns, 'open concern')} to resolve`);
  const zone = doc.config.timezone;
  const text = `:alarm_clock: Decide by ${slackWhen(s.deadline ?? '', zone)}: ${parts.join('; ')}. At the deadline this recommendation is accepted if enough people approved and no concern is open; otherwise it expires.`;
  return { text: `Deadline ${plainWhen(s.deadline ?? '', zone)}: ${parts.join('; ')}`, blocks: [section(text)] };
}
