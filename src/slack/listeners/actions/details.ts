import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { noticeMessage } from '../../blocks/menu.js';
import { comparisonModal, DetailsMetadata, detailsModal } from '../../blocks/recommendation-details.js';
import { ACTIONS, DETAILS } from '../../ids.js';
import type { SlackDeps } from '../../runtime/context.js';
import { slackError } from '../../runtime/failures.js';
import { locate } from '../../use-cases/interview.js';
import { onClick } from './click.js';

/**
 * The Details modal of a recommendation card, and the comparison page it
 * pushes. Reading only: anyone who sees the card may open it. Neither waits
 * for a work slot: a trigger_id expires in 3 s.
 */
export function registerDetails(app: App, deps: SlackDeps): void {
  app.action<BlockAction>({ type: 'block_actions', action_id: ACTIONS.details }, detailsAction(deps));
  app.action<BlockAction>({ type: 'block_actions', action_id: DETAILS.compare }, compareAction(deps));
}

/** `details:open`: the card's recommendation (the decision's once decided), in full, in a modal. */
export function detailsAction(deps: SlackDeps) {
  return onClick(async (c, client) => {
    const trigger = c.body.trigger_id;
    if (!trigger) return undefined;
    const found = await locate(deps, c.candidates, c.at.channel, c.at.threadTs);
    const s = found?.session;
    if (!found || !s) return noticeMessage('This card is not part of an interview I know.');
    if (s.cardTs !== c.at.ts)
      return noticeMessage('An answer changed after this card; the newer card below has Details.');
    const decision = s.decisionNumber
      ? (await deps.store.read(found.teamId)).decisions.find((d) => d.number === s.decisionNumber)
      : undefined;
    const rec = decision?.recommendation ?? s.recommendation;
    if (!rec) return noticeMessage('This interview has no recommendation yet.');
    try {
      await client.views.open({ trigger_id: trigger, view: detailsModal(deps.flow, s.title, s.answers, rec) });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not open the details modal: ${slackError(err)}`);
    }
    return undefined;
  });
}

/** A click inside a modal: its trigger and the view's private_metadata, read at the boundary. */
const ViewClick = z.object({
  trigger_id: z.string().min(1),
  view: z.object({ private_metadata: z.string().max(3000) }),
});

/** `details:compare` inside the Details modal: pushes the pattern comparison for the recommended patterns. */
export function compareAction(deps: SlackDeps) {
  return async ({ ack, body, client }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const click = ViewClick.safeParse(body);
    if (!click.success) return;
    let meta: DetailsMetadata;
    try {
      const parsed = DetailsMetadata.safeParse(JSON.parse(click.data.view.private_metadata));
      if (!parsed.success) return;
      meta = parsed.data;
    } catch {
      return;
    }
    try {
      await client.views.push({
        trigger_id: click.data.trigger_id,
        view: comparisonModal(deps.flow, meta.patterns, meta.platform),
      });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not open the pattern comparison: ${slackError(err)}`);
    }
  };
}
