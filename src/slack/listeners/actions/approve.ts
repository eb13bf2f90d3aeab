import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { approveFromSlack } from '../../approvals.js';
import type { SlackDeps } from '../../context.js';
import { BlockActionBody, messageRef, userNameOf, userTeamOf } from '../../payloads.js';
import { approveNotice } from '../../record-notices.js';
import { tellPrivately } from '../../reply.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** `decision:approve`: one person's approval of the current recommendation; the card shows who approved. */
export function approveAction(deps: SlackDeps) {
  return async ({ ack, body, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    const at = parsed.success ? messageRef(parsed.data) : undefined;
    if (!parsed.success || !at) return;
    const b = parsed.data;
    const outcome = await approveFromSlack(deps, client, {
      at,
      user: b.user.id,
      userName: userNameOf(b),
      userTeam: userTeamOf(b),
      candidates: [deps.homeTeamId, b.team?.id, context.teamId, b.user.team_id],
    });
    const notice = approveNotice(outcome);
    if (notice)
      await tellPrivately(client, respond, { channel: at.channel, user: b.user.id, threadTs: at.threadTs }, notice);
  };
}
