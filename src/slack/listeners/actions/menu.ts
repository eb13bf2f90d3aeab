import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { match } from 'ts-pattern';
import { privateComparison } from '../../blocks/comparison.js';
import { channelDecisions } from '../../blocks/decisions.js';
import { helpMessage } from '../../blocks/menu.js';
import { startModal } from '../../blocks/modals.js';
import { ACTIONS } from '../../ids.js';
import { BlockActionBody, messageRef } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { slackError } from '../../runtime/failures.js';
import { uploadLog, uploadNotice } from '../../use-cases/export.js';
import { openSettings } from '../../use-cases/settings-form.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

export const MENU_ACTIONS = [
  ACTIONS.menuStart,
  ACTIONS.menuCompare,
  ACTIONS.menuDecisions,
  ACTIONS.menuExport,
  ACTIONS.menuHelp,
  ACTIONS.homeStart,
  ACTIONS.homeSettings,
] as const;
type MenuAction = (typeof MENU_ACTIONS)[number];
const isMenuAction = (id: string): id is MenuAction => (MENU_ACTIONS as readonly string[]).includes(id);

/** The buttons of the `/mesh-help` menu and the Home tab's start button. */
export function menuAction(deps: SlackDeps) {
  return async ({ ack, body, respond, client, context }: Args): Promise<void> => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    const id = parsed.success ? parsed.data.actions[0]?.action_id : undefined;
    if (!parsed.success || !id || !isMenuAction(id)) return;
    const b = parsed.data;
    const teamId = b.team?.id ?? context.teamId ?? b.user.team_id ?? '';
    const openStart = async (channel?: string) => {
      if (!b.trigger_id) return;
      try {
        await client.views.open({ trigger_id: b.trigger_id, view: startModal(channel) });
      } catch (err) {
        deps.logger.warn(`mesh-help: could not open the start modal: ${slackError(err)}`);
      }
    };
    const privately = (m: { text: string; blocks: unknown[] }) =>
      respond({ response_type: 'ephemeral', replace_original: false, text: m.text, blocks: m.blocks as never });
    await match(id)
      .with(ACTIONS.menuStart, () => openStart(messageRef(b)?.channel ?? b.channel?.id))
      .with(ACTIONS.homeStart, () => openStart())
      .with(ACTIONS.homeSettings, async () => {
        await openSettings(deps, client, { teamId, triggerId: b.trigger_id });
      })
      .with(ACTIONS.menuCompare, async () => {
        await privately(privateComparison(deps.flow, []));
      })
      .with(ACTIONS.menuDecisions, async () => {
        const channel = messageRef(b)?.channel ?? b.channel?.id ?? '';
        await privately(channelDecisions(deps, await deps.store.read(teamId), channel));
      })
      .with(ACTIONS.menuExport, async () => {
        const channel = messageRef(b)?.channel ?? b.channel?.id;
        if (!channel) return;
        const notice = uploadNotice(await uploadLog(deps, client, { teamId, channel, user: b.user.id }));
        if (notice) await privately(notice);
      })
      .with(ACTIONS.menuHelp, () => privately(helpMessage(deps.flow)))
      .exhaustive();
  };
}
