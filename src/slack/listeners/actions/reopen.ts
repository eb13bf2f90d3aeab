import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../context.js';
import { parseRecordRef } from '../../ids.js';
import { BlockActionBody, messageRef, userTeamOf } from '../../payloads.js';
import { reopenNotice } from '../../record-notices.js';
import { reopenFromSlack } from '../../records.js';
import { tellPrivately } from '../../reply.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** `decision:reopen` on a decision card: back to `proposed`, for people of the record's own team only. */
export function reopenAction(deps: SlackDeps) {
  return async ({ ack, body, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    const at = parsed.success ? messageRef(parsed.data) : undefined;
    if (!parsed.success || !at) return;
    const b = parsed.data;
    const outcome = await reopenFromSlack(deps, client, {
      ref: parseRecordRef(b.actions[0]?.value),
      at,
      user: b.user.id,
      userTeam: userTeamOf(b),
      candidates: [deps.homeTeamId, b.team?.id, context.teamId, b.user.team_id],
    });
    const notice = reopenNotice(outcome);
    if (notice)
      await tellPrivately(client, respond, { channel: at.channel, user: b.user.id, threadTs: at.threadTs }, notice);
  };
}
