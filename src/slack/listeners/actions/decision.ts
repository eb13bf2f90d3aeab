import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { approvalsMissing } from '../../accept.js';
import { overrideModal } from '../../blocks/modals.js';
import type { SlackDeps } from '../../context.js';
import { checkCard, decideFromSlack, locate, slackError } from '../../interview.js';
import { decideNotice } from '../../outcomes.js';
import { BlockActionBody, messageRef, userTeamOf } from '../../payloads.js';
import { tellPrivately } from '../../reply.js';
import { onClick } from './click.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** `decision:accept`: records the recommendation as the team's accepted decision. */
export function acceptAction(deps: SlackDeps) {
  return onClick(deps, async (c, client) =>
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
  return async ({ ack, body, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    const at = parsed.success ? messageRef(parsed.data) : undefined;
    if (!parsed.success || !at || !parsed.data.trigger_id) return;
    const b = parsed.data;
    const found = await locate(
      deps,
      [deps.homeTeamId, b.team?.id, context.teamId, b.user.team_id],
      at.channel,
      at.threadTs,
    );
    const checked = checkCard(found, at, userTeamOf(b));
    // A different choice is a decision too: it waits for the same approvals.
    const refused =
      checked ?? (found ? approvalsMissing(await deps.store.read(found.teamId), found.session) : undefined);
    const rec = found?.session.recommendation;
    if (refused || !found || !rec) {
      const notice = refused ? decideNotice(refused) : undefined;
      if (notice)
        await tellPrivately(client, respond, { channel: at.channel, user: b.user.id, threadTs: at.threadTs }, notice);
      return;
    }
    try {
      await client.views.open({
        trigger_id: b.trigger_id ?? '',
        view: overrideModal(deps.flow, rec, {
          teamId: found.teamId,
          channel: at.channel,
          threadTs: at.threadTs,
          cardTs: at.ts,
        }),
      });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not open the override modal: ${slackError(err)}`);
    }
  };
}
