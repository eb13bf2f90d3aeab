import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { assertTeamId } from '../../../store/index.js';
import { SETTINGS } from '../../ids.js';
import { userTeamOf, ViewSubmissionBody } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { CONFIG_FOREIGN } from '../../use-cases/settings.js';
import { formChanges, saveSettings } from '../../use-cases/settings-form.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const Meta = z.object({ teamId: z.string().min(1).max(64) });
const error = (block: string, text: string) => ({ response_action: 'errors' as const, errors: { [block]: text } });

/** Saving the settings form: each changed field goes through the `config` command's own checks and governance. */
export function settingsSubmit(deps: SlackDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    const parsed = ViewSubmissionBody.safeParse(body);
    let meta: z.infer<typeof Meta> | undefined;
    try {
      meta = parsed.success ? Meta.parse(JSON.parse(parsed.data.view.private_metadata ?? '')) : undefined;
      if (meta) assertTeamId(meta.teamId);
    } catch {
      meta = undefined;
    }
    if (!parsed.success || !meta) {
      await ack(error(SETTINGS.approvals.block, 'This form is out of date; close it and open the settings again.'));
      return;
    }
    const b = parsed.data;
    // The metadata came back from Slack: only people of that workspace change its settings.
    if (userTeamOf(b) !== meta.teamId) {
      await ack(error(SETTINGS.approvals.block, CONFIG_FOREIGN));
      return;
    }
    const planned = formChanges(b.view.state.values, (await deps.store.read(meta.teamId)).config);
    if ('error' in planned) {
      await ack(error(planned.error.block, planned.error.message));
      return;
    }
    await ack();
    await saveSettings(deps, client, { teamId: meta.teamId, user: b.user.id, changes: planned.changes });
  };
}
