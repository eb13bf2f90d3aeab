import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { parseScope } from '../../../team/scope.js';
import { INPUTS } from '../../ids.js';
import { ViewSubmissionBody } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { tellPrivately } from '../../runtime/reply.js';
import { startInterview } from '../../use-cases/interview.js';
import { startNotice } from '../../use-cases/resume.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Submitting "Start an interview" (from App Home or the menu): posts it in the chosen channel. */
export function startSubmit(deps: SlackDeps) {
  return async ({ ack, body, client, context }: Args): Promise<void> => {
    const parsed = ViewSubmissionBody.safeParse(body);
    const values = parsed.success ? parsed.data.view.state.values : {};
    const channel = values[INPUTS.startChannel.block]?.[INPUTS.startChannel.action]?.selected_conversation ?? undefined;
    if (!parsed.success || !channel) {
      await ack({ response_action: 'errors', errors: { [INPUTS.startChannel.block]: 'Pick a channel.' } });
      return;
    }
    const scope = parseScope(values[INPUTS.startScope.block]?.[INPUTS.startScope.action]?.value ?? '');
    if (!scope.ok) {
      await ack({ response_action: 'errors', errors: { [INPUTS.startScope.block]: scope.error.slice(0, 150) } });
      return;
    }
    await ack();
    const b = parsed.data;
    const teamId = b.team?.id ?? context.teamId ?? b.user.team_id;
    if (!teamId) return;
    const title = values[INPUTS.startTitle.block]?.[INPUTS.startTitle.action]?.value ?? '';
    const started = await startInterview(deps, client, {
      teamId,
      channel,
      user: b.user.id,
      title,
      ...(scope.value.length ? { scope: scope.value } : {}),
      request: b.trigger_id,
    });
    const notice = startNotice(started, teamId);
    // The modal is gone: tell the person in the channel if the bot is there, else in the app's messages tab.
    if (notice) await tellPrivately(client, undefined, { channel, user: b.user.id }, notice);
  };
}
