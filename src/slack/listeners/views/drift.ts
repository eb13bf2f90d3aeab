import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { ACK_REASON_MAX } from '../../../domain/machine/drift.js';
import { adrId } from '../../../domain/presentation.js';
import { findByKey } from '../../../team/lookup.js';
import { noticeMessage } from '../../blocks/menu.js';
import { DRIFT, parseRecordRef } from '../../ids.js';
import { FOREIGN_TEAM } from '../../notices/outcomes.js';
import { userNameOf, userTeamOf, ViewSubmissionBody } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { dispatch } from '../../runtime/dispatch.js';
import { tellPrivately } from '../../runtime/reply.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const error = (text: string) => ({ response_action: 'errors' as const, errors: { [DRIFT.reasonBlock]: text } });

/** Submitting "Still right for us": the reason is checked, then every open drift of the record is acknowledged. */
export function acknowledgeDriftSubmit(deps: SlackDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    const parsed = ViewSubmissionBody.safeParse(body);
    const ref = parsed.success ? parseRecordRef(parsed.data.view.private_metadata) : undefined;
    if (!parsed.success || !ref) {
      await ack(error('This form is out of date; close it and try again.'));
      return;
    }
    const b = parsed.data;
    const reason = (b.view.state.values[DRIFT.reasonBlock]?.[DRIFT.reasonInput]?.value ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    if (!reason) return void (await ack(error('Say in one line why the decision still holds.')));
    if (reason.length > ACK_REASON_MAX) return void (await ack(error(`Keep it under ${ACK_REASON_MAX} characters.`)));
    if (userTeamOf(b) !== ref.teamId) return void (await ack(error(FOREIGN_TEAM)));
    await ack();
    const outcome = await dispatch(deps, client, ref.teamId, {
      type: 'acknowledge-drift',
      number: ref.number,
      by: b.user.id,
      byName: userNameOf(b),
      userTeam: userTeamOf(b) ?? '',
      reason,
    });
    if (outcome.kind === 'acknowledged') return;
    const d = findByKey((await deps.store.read(ref.teamId)).decisions, (x) => x.number === ref.number);
    const text =
      outcome.kind === 'refused'
        ? outcome.message
        : outcome.kind === 'foreign-team'
          ? FOREIGN_TEAM
          : `${adrId(ref.number)} has no change left to acknowledge.`;
    await tellPrivately(
      client,
      undefined,
      { channel: d?.channel, user: b.user.id, threadTs: d?.threadTs },
      noticeMessage(text),
    );
  };
}
