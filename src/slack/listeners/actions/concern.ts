import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { match } from 'ts-pattern';
import { concernModal } from '../../blocks/concern-modal.js';
import type { Message } from '../../blocks/kit.js';
import { noticeMessage } from '../../blocks/menu.js';
import type { SlackDeps } from '../../context.js';
import { type ConcernOutcome, concernHolder, resolveConcernFromSlack } from '../../discussion.js';
import { slackError } from '../../interview.js';
import { FOREIGN_TEAM } from '../../outcomes.js';
import { BlockActionBody, messageRef, userTeamOf } from '../../payloads.js';
import { tellPrivately } from '../../reply.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

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
  return async ({ ack, body, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    const at = parsed.success ? messageRef(parsed.data) : undefined;
    if (!parsed.success || !at || !parsed.data.trigger_id) return;
    const b = parsed.data;
    const target = { channel: at.channel, threadTs: at.threadTs, cardTs: at.ts };
    const checked = await concernHolder(
      deps,
      [deps.homeTeamId, b.team?.id, context.teamId, b.user.team_id],
      target,
      userTeamOf(b),
    );
    if ('refused' in checked) {
      const notice = concernNotice(checked.refused);
      if (notice)
        await tellPrivately(client, respond, { channel: at.channel, user: b.user.id, threadTs: at.threadTs }, notice);
      return;
    }
    try {
      await client.views.open({
        trigger_id: b.trigger_id ?? '',
        view: concernModal({ teamId: checked.found.teamId, ...target }),
      });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not open the concern modal: ${slackError(err)}`);
    }
  };
}

/** "Resolve" on an open concern: marks it resolved by this person (their own team only) and updates the card. */
export function resolveConcernAction(deps: SlackDeps) {
  return async ({ ack, body, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    const at = parsed.success ? messageRef(parsed.data) : undefined;
    const id = parsed.success ? parsed.data.actions[0]?.value : undefined;
    if (!parsed.success || !at || !id) return;
    const b = parsed.data;
    const outcome = await resolveConcernFromSlack(deps, client, {
      candidates: [deps.homeTeamId, b.team?.id, context.teamId, b.user.team_id],
      at: { channel: at.channel, threadTs: at.threadTs, cardTs: at.ts },
      user: b.user.id,
      userTeam: userTeamOf(b),
      id,
    });
    const notice = concernNotice(outcome);
    if (notice)
      await tellPrivately(client, respond, { channel: at.channel, user: b.user.id, threadTs: at.threadTs }, notice);
  };
}
