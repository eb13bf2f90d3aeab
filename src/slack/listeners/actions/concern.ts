import { match } from 'ts-pattern';
import { concernModal } from '../../blocks/concern-modal.js';
import type { Message } from '../../blocks/kit.js';
import { noticeMessage } from '../../blocks/menu.js';
import type { SlackDeps } from '../../context.js';
import { type ConcernOutcome, concernHolder, resolveConcernFromSlack } from '../../discussion.js';
import { slackError } from '../../interview.js';
import { FOREIGN_TEAM } from '../../outcomes.js';
import { onClick } from './click.js';

/** The private note a concern click or submission gets; undefined when it worked. */
export function concernNotice(outcome: ConcernOutcome): Message | undefined {
  return match(outcome)
    .with({ kind: 'raised' }, { kind: 'resolved' }, () => undefined)
    .with({ kind: 'not-found' }, () => noticeMessage('This card is not part of an interview I know.'))
    .with({ kind: 'foreign-team' }, () => noticeMessage(FOREIGN_TEAM))
    .with({ kind: 'already-resolved' }, () => noticeMessage('Someone resolved this concern already.'))
    .exhaustive();
}

/** "Raise a concern": checks the thread and the person, then opens the modal at once (trigger_id lasts 3 s). */
export function raiseConcernAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) => {
    const trigger = c.body.trigger_id;
    if (!trigger) return undefined;
    const target = { channel: c.at.channel, threadTs: c.at.threadTs, cardTs: c.at.ts };
    const checked = await concernHolder(deps, c.candidates, target, c.userTeam);
    if ('refused' in checked) return concernNotice(checked.refused);
    try {
      await client.views.open({ trigger_id: trigger, view: concernModal({ teamId: checked.found.teamId, ...target }) });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not open the concern modal: ${slackError(err)}`);
    }
    return undefined;
  });
}

/** "Resolve" on an open concern: marks it resolved by this person (their own team only) and updates the card. */
export function resolveConcernAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) => {
    if (!c.value) return undefined;
    return concernNotice(
      await resolveConcernFromSlack(deps, client, {
        candidates: c.candidates,
        at: { channel: c.at.channel, threadTs: c.at.threadTs, cardTs: c.at.ts },
        user: c.user,
        userTeam: c.userTeam,
        id: c.value,
      }),
    );
  });
}
