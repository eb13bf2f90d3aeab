import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { openDrifts } from '../../../domain/drift.js';
import { adrId } from '../../../domain/presentation.js';
import { findByKey } from '../../../team/lookup.js';
import { driftAckModal } from '../../blocks/drift.js';
import { noticeMessage } from '../../blocks/menu.js';
import { parseRecordRef } from '../../ids.js';
import { FOREIGN_TEAM } from '../../notices/outcomes.js';
import { BlockActionBody, messageRef, userTeamOf } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { tellPrivately } from '../../runtime/reply.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * "Still right for us" on a drift notice: checks the person and the record,
 * then opens the modal that asks for the one-line reason at once (trigger_id
 * lasts 3 s). Nothing is stored until the modal is submitted.
 */
export function acknowledgeDriftAction(deps: SlackDeps) {
  return async ({ ack, body, respond, client }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    const at = parsed.success ? messageRef(parsed.data) : undefined;
    const ref = parsed.success ? parseRecordRef(parsed.data.actions[0]?.value) : undefined;
    if (!parsed.success || !at || !ref) return;
    const b = parsed.data;
    const tell = (text: string) =>
      tellPrivately(
        client,
        respond,
        { channel: at.channel, user: b.user.id, threadTs: at.threadTs },
        noticeMessage(text),
      );
    if (userTeamOf(b) !== ref.teamId) return void (await tell(FOREIGN_TEAM));
    const doc = await deps.store.read(ref.teamId);
    const d = findByKey(doc.decisions, (x) => x.number === ref.number);
    const open = d ? openDrifts(deps.flow, d) : [];
    if (!d || !open.length) {
      return void (await tell(`${adrId(ref.number)} has no change left to acknowledge.`));
    }
    if (!b.trigger_id) return;
    try {
      await client.views.open({
        trigger_id: b.trigger_id,
        view: driftAckModal(
          ref.teamId,
          d,
          open.map((v) => v.text),
        ),
      });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not open the acknowledgement form: ${(err as Error).message}`);
      await tell('Slack did not open the form; try the button again.');
    }
  };
}
