import { match } from 'ts-pattern';
import { adrId } from '../../domain/machine/record.js';
import { count } from '../../domain/plural.js';
import type { Flow } from '../../engine/flow.js';
import { type Message, who } from '../blocks/kit.js';
import { answerLabel } from '../blocks/labels.js';
import { noticeMessage } from '../blocks/menu.js';
import { escapeText } from '../escape.js';
import type { AnswerOutcome, AskAgainOutcome, DecideOutcome } from '../use-cases/interview.js';

export const FOREIGN_TEAM =
  'This interview belongs to another organisation’s workspace. You can read it, but only its members can change it.';

/** The private note a refused answer gets; undefined when there is nothing to say (done, or a double click). */
export function answerNotice(flow: Flow, question: string, outcome: AnswerOutcome): Message | undefined {
  return match(outcome)
    .with({ kind: 'answered' }, { kind: 'unchanged' }, { kind: 'resumed' }, () => undefined)
    .with({ kind: 'not-found' }, () => noticeMessage('This message is not part of an interview I know.'))
    .with({ kind: 'foreign-team' }, () => noticeMessage(FOREIGN_TEAM))
    .with({ kind: 'closed' }, (o) =>
      noticeMessage(
        `This interview is closed${o.decisionNumber ? ` (decided as ${adrId(o.decisionNumber)})` : ''}. Start a new one with \`/mesh-help start\` to revisit it.`,
      ),
    )
    .with({ kind: 'not-current' }, () =>
      noticeMessage('This message is out of date; answer on the interview message in the thread.'),
    )
    .with({ kind: 'not-applicable' }, () =>
      noticeMessage('This question no longer applies: an earlier answer changed.'),
    )
    .with({ kind: 'stale' }, (o) =>
      noticeMessage(
        `${o.by ? who(o.by) : 'Someone'} answered this a moment ago${
          o.value !== undefined ? ` (*${escapeText(answerLabel(flow, question, o.value))}*)` : ''
        }. Your click was not recorded; choose again if you want to change it.`,
      ),
    )
    .with({ kind: 'bad-answer' }, (o) => noticeMessage(`That answer was not recorded: ${escapeText(o.message)}`))
    .exhaustive();
}

/** The private note a refused "Change an answer" gets; undefined when the question is shown (or already was). */
export function askAgainNotice(outcome: AskAgainOutcome): Message | undefined {
  return match(outcome)
    .with({ kind: 'opened' }, { kind: 'unchanged' }, () => undefined)
    .with({ kind: 'not-found' }, () => noticeMessage('This message is not part of an interview I know.'))
    .with({ kind: 'foreign-team' }, () => noticeMessage(FOREIGN_TEAM))
    .with({ kind: 'closed' }, (o) =>
      noticeMessage(
        `This interview is closed${o.decisionNumber ? ` (decided as ${adrId(o.decisionNumber)})` : ''}, so its answers stay as they are. Start a new one with \`/mesh-help start\` to revisit it.`,
      ),
    )
    .with({ kind: 'not-current' }, () =>
      noticeMessage('This message is out of date; use the interview message in the thread.'),
    )
    .with({ kind: 'not-applicable' }, () =>
      noticeMessage('That question is no longer asked: an earlier answer changed.'),
    )
    .exhaustive();
}

/** The private note a refused decision gets. */
export function decideNotice(outcome: DecideOutcome): Message | undefined {
  return match(outcome)
    .with({ kind: 'decided' }, () => undefined)
    .with({ kind: 'not-found' }, () => noticeMessage('This card is not part of an interview I know.'))
    .with({ kind: 'foreign-team' }, () => noticeMessage(FOREIGN_TEAM))
    .with({ kind: 'already-decided' }, (o) =>
      noticeMessage(`This interview is already decided${o.decisionNumber ? ` as ${adrId(o.decisionNumber)}` : ''}.`),
    )
    .with({ kind: 'not-current' }, () =>
      noticeMessage(
        'This recommendation was replaced after an answer changed; decide on the newest card in the thread.',
      ),
    )
    .with({ kind: 'not-ready' }, () => noticeMessage('The interview is not finished yet.'))
    .with({ kind: 'refused' }, (o) => noticeMessage(escapeText(o.message)))
    .with({ kind: 'needs-approvals' }, (o) => noticeMessage(needsApprovalsText(o.have, o.need)))
    .exhaustive();
}

/** Why accepting is refused for now: how many more distinct approvals the team's rule asks for. */
export function needsApprovalsText(have: number, need: number): string {
  const left = need - have;
  return `This team needs ${count(need, 'approval')} from different people before accepting: ${have} so far, ${left} more needed. Use *Approve* on the card.`;
}
