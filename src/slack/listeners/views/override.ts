import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { INPUTS } from '../../ids.js';
import { decideNotice } from '../../notices/outcomes.js';
import { parseCardTarget, userNameOf, userTeamOf, ViewSubmissionBody } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { tellPrivately } from '../../runtime/reply.js';
import { checkCard, decideFromSlack, locate } from '../../use-cases/interview.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Submitting "Record another choice": validates, re-checks the card and the person, then records the decision. */
export function overrideSubmit(deps: SlackDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    const parsed = ViewSubmissionBody.safeParse(body);
    const target = parsed.success ? parseCardTarget(parsed.data.view.private_metadata) : undefined;
    if (!parsed.success || !target) {
      await ack({
        response_action: 'errors',
        errors: { [INPUTS.overrideReason.block]: 'This form is out of date; close it and try again.' },
      });
      return;
    }
    const b = parsed.data;
    const values = b.view.state.values;
    const known = new Set(deps.flow.patterns.map((p) => p.id));
    const chosen = (values[INPUTS.overridePatterns.block]?.[INPUTS.overridePatterns.action]?.selected_options ?? [])
      .map((o) => o.value)
      .filter((v) => known.has(v));
    const reason = (values[INPUTS.overrideReason.block]?.[INPUTS.overrideReason.action]?.value ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    const errors: Record<string, string> = {};
    if (!chosen.length) errors[INPUTS.overridePatterns.block] = 'Pick at least one pattern.';
    if (!reason) errors[INPUTS.overrideReason.block] = 'Say why in one line.';
    if (Object.keys(errors).length) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const { teamId, channel, threadTs, cardTs } = target;
    const at = { channel, threadTs, ts: cardTs };
    // The metadata came back from Slack: check it against the stored session before acting on it.
    const refused = checkCard(await locate(deps, [teamId], channel, threadTs), at, userTeamOf(b));
    const refusal = refused ? decideNotice(refused) : undefined;
    if (refusal) {
      await ack({ response_action: 'errors', errors: { [INPUTS.overrideReason.block]: refusal.text } });
      return;
    }
    await ack();
    const outcome = await decideFromSlack(deps, client, {
      at,
      user: b.user.id,
      userName: userNameOf(b),
      userTeam: userTeamOf(b),
      candidates: [teamId],
      override: { chosen, reason },
      permalink: async () => (await client.chat.getPermalink({ channel, message_ts: threadTs })).permalink,
    });
    const notice = decideNotice(outcome);
    if (notice) await tellPrivately(client, undefined, { channel, user: b.user.id, threadTs }, notice);
  };
}
