import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noticeMessage } from '../../blocks/menu.js';
import type { SlackDeps } from '../../context.js';
import { uploadNotice, uploadRecord } from '../../export.js';
import { parseRecordRef } from '../../ids.js';
import { BlockActionBody, messageRef } from '../../payloads.js';
import { findRecord } from '../../records.js';
import { tellPrivately } from '../../reply.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * `decision:export` on a decision card: uploads that record's MADR file into its
 * discussion thread. It only reads the record, so anyone who sees the card may.
 */
export function exportRecordAction(deps: SlackDeps) {
  return async ({ ack, body, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    const at = parsed.success ? messageRef(parsed.data) : undefined;
    if (!parsed.success || !at) return;
    const b = parsed.data;
    const where = { channel: at.channel, user: b.user.id, threadTs: at.threadTs };
    const found = await findRecord(
      deps,
      [deps.homeTeamId, b.team?.id, context.teamId, b.user.team_id],
      parseRecordRef(b.actions[0]?.value),
    );
    if (!found) {
      await tellPrivately(client, respond, where, noticeMessage('I can’t find that decision record any more.'));
      return;
    }
    const notice = uploadNotice(await uploadRecord(deps, client, found, at));
    if (notice) await tellPrivately(client, respond, where, notice);
  };
}
