import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { adrId } from '../../../domain/machine/record.js';
import { findByKey } from '../../../team/lookup.js';
import { noticeMessage } from '../../blocks/menu.js';
import { parseRecordRef } from '../../ids.js';
import { FOREIGN_TEAM } from '../../notices/outcomes.js';
import { BlockActionBody, messageRef, userTeamOf } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { tellPrivately } from '../../runtime/reply.js';
import { startInterview } from '../../use-cases/interview.js';
import { startNotice } from '../../use-cases/resume.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * "Start a follow-up interview" on a revisit reminder, and "Start a revisit" on a drift notice (`prefill`: with
 * the record's answers filled in): a new interview in the channel that supersedes the record once accepted.
 */
export function revisitAction(deps: SlackDeps, prefill = false) {
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
    // A double click, or a colleague who was quicker: one follow-up is enough.
    const running = doc.sessions.find(
      (s) => s.revisits === ref.number && (s.status === 'open' || s.status === 'complete'),
    );
    if (d && running) return void (await tell(`A follow-up interview for ${adrId(ref.number)} is already running.`));
    const started = await startInterview(deps, client, {
      teamId: ref.teamId,
      channel: at.channel,
      user: b.user.id,
      title: d ? `Revisit: ${d.title}` : '',
      revisits: ref.number,
      prefill,
      request: b.trigger_id,
    });
    if (started.kind === 'cannot-revisit') {
      return void (await tell(
        `${adrId(started.number)} is ${started.status ?? 'gone'} now, so there is nothing to revisit.`,
      ));
    }
    const notice = startNotice(started, ref.teamId);
    if (notice)
      await tellPrivately(client, respond, { channel: at.channel, user: b.user.id, threadTs: at.threadTs }, notice);
  };
}
