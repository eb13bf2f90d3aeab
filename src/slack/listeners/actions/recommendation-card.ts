import { match } from 'ts-pattern';
import { approvalsMissing } from '../../../domain/machine/accept.js';
import { concernModal } from '../../blocks/concern-modal.js';
import { deadlineModal } from '../../blocks/deadline.js';
import type { Message } from '../../blocks/kit.js';
import { noticeMessage } from '../../blocks/menu.js';
import { overrideModal } from '../../blocks/modals.js';
import { ACTIONS, CONCERN, DEADLINE } from '../../ids.js';
import { decideNotice, FOREIGN_TEAM } from '../../notices/outcomes.js';
import { approveNotice } from '../../notices/record-notices.js';
import type { SlackDeps } from '../../runtime/context.js';
import { slackError } from '../../runtime/failures.js';
import type { ActionArgs, Routes } from '../../runtime/routes.js';
import { afterAck } from '../../runtime/work.js';
import { approveFromSlack } from '../../use-cases/approve.js';
import { deadlineHolder, deadlineNotice } from '../../use-cases/deadline-set.js';
import { type ConcernOutcome, concernHolder, resolveConcernFromSlack } from '../../use-cases/discussion.js';
import { checkCard, decideFromSlack, locate } from '../../use-cases/interview.js';
import { onClick } from './click.js';

/**
 * Every button of the recommendation card (src/slack/blocks/recommendation.ts):
 * accept, override, approve, raise and resolve a concern, set a deadline.
 * Buttons that open a modal are not queued behind other work: their
 * trigger_id expires in 3 s.
 */
export function registerRecommendationCard(actions: Routes<ActionArgs>, deps: SlackDeps): void {
  const queued = (id: string, listener: ReturnType<typeof onClick>) => actions.on(id, afterAck(deps.work, listener));
  const atOnce = (id: string, listener: ReturnType<typeof onClick>) => actions.on(id, listener);
  queued(ACTIONS.accept, acceptAction(deps));
  atOnce(ACTIONS.override, overrideAction(deps));
  queued(ACTIONS.approve, approveAction(deps));
  atOnce(CONCERN.raise, raiseConcernAction(deps));
  queued(CONCERN.resolve, resolveConcernAction(deps));
  atOnce(DEADLINE.open, openDeadlineAction(deps));
}

/** `decision:accept`: records the recommendation as the team's accepted decision. */
export function acceptAction(deps: SlackDeps) {
  return onClick(async (c, client) =>
    decideNotice(
      await decideFromSlack(deps, client, {
        at: c.at,
        user: c.user,
        userName: c.userName,
        userTeam: c.userTeam,
        candidates: c.candidates,
        permalink: async () =>
          (await client.chat.getPermalink({ channel: c.at.channel, message_ts: c.at.threadTs })).permalink,
      }),
    ),
  );
}

/** `decision:override`: opens the modal to record a different choice (checked first, so refusals never open it). */
export function overrideAction(deps: SlackDeps) {
  return onClick(async (c, client) => {
    const trigger = c.body.trigger_id;
    if (!trigger) return undefined;
    const found = await locate(deps, c.candidates, c.at.channel, c.at.threadTs);
    // A different choice is a decision too: it waits for the same approvals.
    const refused =
      checkCard(found, c.at, c.userTeam) ??
      (found ? approvalsMissing(await deps.store.read(found.teamId), found.session) : undefined);
    const rec = found?.session.recommendation;
    if (refused) return decideNotice(refused);
    if (!found || !rec) return undefined;
    try {
      await client.views.open({
        trigger_id: trigger,
        view: overrideModal(deps.flow, rec, {
          teamId: found.teamId,
          channel: c.at.channel,
          threadTs: c.at.threadTs,
          cardTs: c.at.ts,
        }),
      });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not open the override modal: ${slackError(err)}`);
    }
    return undefined;
  });
}

/** `decision:approve`: one person's approval of the current recommendation; the card shows who approved. */
export function approveAction(deps: SlackDeps) {
  return onClick(async (c, client) =>
    approveNotice(
      await approveFromSlack(deps, client, {
        at: c.at,
        user: c.user,
        userName: c.userName,
        userTeam: c.userTeam,
        candidates: c.candidates,
      }),
    ),
  );
}

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
  return onClick(async (c, client) => {
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
  return onClick(async (c, client) => {
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

/** "Set a deadline" on a recommendation card: checks the card and the person, then opens the modal at once (trigger_id lasts 3 s). */
export function openDeadlineAction(deps: SlackDeps) {
  return onClick(async (c, client) => {
    const trigger = c.body.trigger_id;
    if (!trigger) return undefined;
    const target = { channel: c.at.channel, threadTs: c.at.threadTs, cardTs: c.at.ts };
    const checked = await deadlineHolder(deps, c.candidates, target, c.userTeam);
    if ('refused' in checked) return deadlineNotice(checked.refused);
    try {
      await client.views.open({ trigger_id: trigger, view: deadlineModal({ teamId: checked.teamId, ...target }) });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not open the deadline modal: ${slackError(err)}`);
    }
    return undefined;
  });
}
