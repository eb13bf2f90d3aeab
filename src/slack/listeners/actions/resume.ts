import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noticeMessage } from '../../blocks/menu.js';
import { parseSessionRef } from '../../ids.js';
import { BlockActionBody, userTeamOf } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { candidatesOf } from '../../runtime/middleware.js';
import { tellPrivately } from '../../runtime/reply.js';
import { resumeInterview } from '../../use-cases/resume.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** *Resume it* on a private note: posts what a failed step left unposted in that interview's thread. */
export function resumeAction(deps: SlackDeps) {
  return async ({ ack, body, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    const ref = parsed.success ? parseSessionRef(parsed.data.actions[0]?.value) : undefined;
    if (!parsed.success || !ref) return;
    const b = parsed.data;
    const channel = b.container?.channel_id ?? b.channel?.id;
    // The ref was written by the bot, but the team in it must still be one this request may speak for.
    const reply = candidatesOf(context).includes(ref.teamId)
      ? await resumeInterview(deps, client, {
          teamId: ref.teamId,
          sessionId: ref.sessionId,
          channel,
          user: b.user.id,
          userTeam: userTeamOf(b),
        })
      : noticeMessage('I can’t find that interview any more.');
    await tellPrivately(client, respond, { channel, user: b.user.id }, reply);
  };
}
