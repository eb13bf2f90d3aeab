import { match } from 'ts-pattern';
import { adrId } from '../../domain/machine/record.js';
import type { Decision } from '../../store/index.js';
import type { Message } from '../blocks/kit.js';
import { noticeMessage } from '../blocks/menu.js';
import { escapeText } from '../escape.js';
import { COMMAND } from '../ids.js';
import type { ApproveOutcome } from '../use-cases/approve.js';
import type { RecordRefusal } from '../use-cases/records.js';
import { decideNotice, FOREIGN_TEAM } from './outcomes.js';

/** Why `/mesh-help start revisit N` did not start: the record must exist and be accepted. */
export function revisitNotice(number: number, status: Decision['status'] | undefined): Message {
  return noticeMessage(
    status
      ? `${adrId(number)} is ${status}, not accepted, so there is nothing to revisit. \`${COMMAND} decisions\` lists the accepted ones.`
      : `There is no ${adrId(number)} in this team’s log. \`${COMMAND} decisions\` lists the records.`,
  );
}

/** The private note after a click on Approve (the card itself shows a counted approval). */
export function approveNotice(outcome: ApproveOutcome): Message | undefined {
  return match(outcome)
    .with({ kind: 'approved' }, () => undefined)
    .with({ kind: 'already-approved' }, (o) =>
      noticeMessage(`You already approved this recommendation; it counts once (${o.have} of ${o.need}).`),
    )
    .with(
      { kind: 'not-found' },
      { kind: 'foreign-team' },
      { kind: 'already-decided' },
      { kind: 'not-current' },
      { kind: 'not-ready' },
      (o) => decideNotice(o),
    )
    .exhaustive();
}

/** Why a life-cycle click (reopen, deprecate, reject) changed nothing, told privately. */
export function refusalNotice(outcome: RecordRefusal, verb: string): Message {
  return match(outcome)
    .with({ kind: 'not-found' }, () => noticeMessage('I can’t find that decision record any more.'))
    .with({ kind: 'foreign-team' }, () =>
      noticeMessage(`${FOREIGN_TEAM} Only people of the record’s own team can ${verb} it.`),
    )
    .with({ kind: 'refused' }, (o) => noticeMessage(escapeText(o.message)))
    .exhaustive();
}

/** The private note after a click on Reopen, Reject or Deprecate; nothing when it worked (the card and thread say so). */
export const lifeCycleNotice = (
  outcome: RecordRefusal | { kind: 'reopened' | 'rejected' | 'deprecated'; decision: Decision },
  verb: string,
): Message | undefined => ('decision' in outcome ? undefined : refusalNotice(outcome, verb));
