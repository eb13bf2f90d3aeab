import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { DEADLINE } from '../../ids.js';
import { parseCardTarget, userTeamOf, ViewSubmissionBody } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { userZone } from '../../runtime/people.js';
import { tellPrivately } from '../../runtime/reply.js';
import {
  deadlineHolder,
  deadlineNotice,
  parseDeadline,
  setDeadlineFromSlack,
  teamZone,
} from '../../use-cases/deadline-set.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const error = (block: string, text: string) => ({ response_action: 'errors' as const, errors: { [block]: text } });

/** Submitting "Set a deadline": reads days or date, re-checks the card and the person, then stores it. */
export function deadlineSubmit(deps: SlackDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    const parsed = ViewSubmissionBody.safeParse(body);
    const target = parsed.success ? parseCardTarget(parsed.data.view.private_metadata) : undefined;
    if (!parsed.success || !target) {
      await ack(error(DEADLINE.days.block, 'This form is out of date; close it and try again.'));
      return;
    }
    const b = parsed.data;
    const values = b.view.state.values;
    const days = values[DEADLINE.days.block]?.[DEADLINE.days.action]?.value ?? undefined;
    const date = values[DEADLINE.date.block]?.[DEADLINE.date.action]?.selected_date ?? undefined;
    // Working days and "the end of that day" are the person's own: their zone from Slack, else the team's.
    const now = deps.now();
    const zone = (await userZone(client, b.user.id, now.getTime())) ?? (await teamZone(deps, target.teamId));
    const deadline = parseDeadline(days, date, now, zone);
    if (!deadline.ok) {
      const block = deadline.error.field === 'days' ? DEADLINE.days.block : DEADLINE.date.block;
      await ack(error(block, deadline.error.message));
      return;
    }
    const { teamId, channel, threadTs, cardTs } = target;
    // The metadata came back from Slack: check it against the stored session before acting on it.
    const checked = await deadlineHolder(deps, [teamId], { channel, threadTs, cardTs }, userTeamOf(b));
    if ('refused' in checked) {
      const why = deadlineNotice(checked.refused)?.text ?? 'This card takes no deadline.';
      await ack(error(DEADLINE.days.block, why));
      return;
    }
    await ack();
    const outcome = await setDeadlineFromSlack(deps, client, {
      target,
      user: b.user.id,
      userTeam: userTeamOf(b),
      deadline: deadline.value,
    });
    const notice = deadlineNotice(outcome);
    if (notice) await tellPrivately(client, undefined, { channel, user: b.user.id, threadTs }, notice);
  };
}
