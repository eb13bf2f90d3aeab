import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { CONCERN_MAX } from '../../blocks/concern-modal.js';
import { CONCERN } from '../../ids.js';
import { parseCardTarget, userNameOf, userTeamOf, ViewSubmissionBody } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { tellPrivately } from '../../runtime/reply.js';
import { concernHolder, raiseConcernFromSlack } from '../../use-cases/discussion.js';
import { concernNotice } from '../actions/recommendation-card.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const error = (text: string) => ({ response_action: 'errors' as const, errors: { [CONCERN.text.block]: text } });

/** Submitting "Raise a concern": re-checks the thread and the person, then stores it and updates the card. */
export function concernSubmit(deps: SlackDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    const parsed = ViewSubmissionBody.safeParse(body);
    const target = parsed.success ? parseCardTarget(parsed.data.view.private_metadata) : undefined;
    if (!parsed.success || !target) {
      await ack(error('This form is out of date; close it and try again.'));
      return;
    }
    const b = parsed.data;
    const text = (b.view.state.values[CONCERN.text.block]?.[CONCERN.text.action]?.value ?? '').trim();
    if (!text) {
      await ack(error('Say what worries you.'));
      return;
    }
    if (text.length > CONCERN_MAX) {
      await ack(error(`Keep it under ${CONCERN_MAX} characters.`));
      return;
    }
    const { teamId, channel, threadTs, cardTs } = target;
    // The metadata came back from Slack: check it against the stored session before acting on it.
    const checked = await concernHolder(deps, [teamId], { channel, threadTs, cardTs }, userTeamOf(b));
    if ('refused' in checked) {
      await ack(error(concernNotice(checked.refused)?.text ?? 'This concern cannot be raised here.'));
      return;
    }
    await ack();
    const outcome = await raiseConcernFromSlack(deps, client, {
      candidates: [teamId],
      at: { channel, threadTs, cardTs },
      user: b.user.id,
      userName: userNameOf(b),
      userTeam: userTeamOf(b),
      text,
    });
    const notice = concernNotice(outcome);
    if (notice) await tellPrivately(client, undefined, { channel, user: b.user.id, threadTs }, notice);
  };
}
