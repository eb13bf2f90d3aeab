import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Recommendation } from '../../../engine/recommend.js';
import type { Session } from '../../../store/index.js';
import { noticeMessage } from '../../blocks/menu.js';
import {
  comparisonModal,
  DetailsMetadata,
  type DetailsPage,
  detailsModal,
  detailsPage,
} from '../../blocks/recommendation-details.js';
import { ACTIONS, DETAILS } from '../../ids.js';
import type { SlackDeps } from '../../runtime/context.js';
import { slackError } from '../../runtime/failures.js';
import { candidatesOf } from '../../runtime/middleware.js';
import type { ActionArgs, Routes } from '../../runtime/routes.js';
import { locate } from '../../use-cases/interview.js';
import { onClick } from './click.js';

/**
 * The Details modal of a recommendation card, and the deeper pages it pushes
 * (tools, ruled out, the pattern comparison). Reading only: anyone who sees
 * the card may open it. None waits for a work slot: a trigger_id expires in 3 s.
 */
export function registerDetails(actions: Routes<ActionArgs>, deps: SlackDeps): void {
  actions.on(ACTIONS.details, detailsAction(deps));
  actions.on(DETAILS.compare, pushAction(deps, 'compare'));
  actions.on(DETAILS.tools, pushAction(deps, 'tools'));
  actions.on(DETAILS.ruledOut, pushAction(deps, 'ruled-out'));
}

/** The recommendation a card shows: the decision's once decided, else the session's. */
async function recommendationOf(deps: SlackDeps, teamId: string, s: Session): Promise<Recommendation | undefined> {
  if (!s.decisionNumber) return s.recommendation;
  const d = (await deps.store.read(teamId)).decisions.find((x) => x.number === s.decisionNumber);
  return d?.recommendation ?? s.recommendation;
}

/** `details:open`: the card's recommendation, in full, in a modal opened right after the ack. */
export function detailsAction(deps: SlackDeps) {
  return onClick(async (c, client) => {
    const trigger = c.body.trigger_id;
    if (!trigger) return undefined;
    const found = await locate(deps, c.candidates, c.at.channel, c.at.threadTs);
    const s = found?.session;
    if (!found || !s) return noticeMessage('This card is not part of an interview I know.');
    if (s.cardTs !== c.at.ts)
      return noticeMessage('An answer changed after this card; the newer card below has Details.');
    const rec = await recommendationOf(deps, found.teamId, s);
    if (!rec) return noticeMessage('This interview has no recommendation yet.');
    const where = { teamId: found.teamId, channel: c.at.channel, threadTs: c.at.threadTs };
    await open(deps, () =>
      client.views.open({ trigger_id: trigger, view: detailsModal(deps.flow, s.title, s.answers, rec, where) }),
    );
    return undefined;
  });
}

async function open(deps: SlackDeps, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    deps.logger.warn(`mesh-help: could not open a details page: ${slackError(err)}`);
  }
}

/** A click inside a modal: its trigger and the view's private_metadata, read at the boundary. */
const ViewClick = z.object({
  trigger_id: z.string().min(1),
  view: z.object({ private_metadata: z.string().max(3000) }),
});

function metadataOf(body: unknown): { trigger: string; meta: DetailsMetadata } | undefined {
  const click = ViewClick.safeParse(body);
  if (!click.success) return undefined;
  try {
    const meta = DetailsMetadata.safeParse(JSON.parse(click.data.view.private_metadata));
    return meta.success ? { trigger: click.data.trigger_id, meta: meta.data } : undefined;
  } catch {
    return undefined;
  }
}

/** A button inside the Details modal: pushes the page it names, read again from the store (the team's own data only). */
export function pushAction(deps: SlackDeps, page: DetailsPage | 'compare') {
  return async ({
    ack,
    body,
    client,
    context,
  }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const read = metadataOf(body);
    if (!read) return;
    const { trigger, meta } = read;
    if (page === 'compare') {
      await push(deps, client, trigger, comparisonModal(deps.flow, meta.patterns, meta.platform));
      return;
    }
    // Only a team this request may concern (the middleware's candidates) is read.
    if (!candidatesOf(context).includes(meta.teamId)) return;
    const found = await locate(deps, [meta.teamId], meta.channel, meta.threadTs);
    const rec = found && (await recommendationOf(deps, found.teamId, found.session));
    if (!found || !rec) return;
    await push(deps, client, trigger, detailsPage(deps.flow, page, found.session.answers, rec));
  };
}

const push = (
  deps: SlackDeps,
  client: WebClient,
  trigger: string,
  view: Parameters<WebClient['views']['push']>[0]['view'],
) => open(deps, () => client.views.push({ trigger_id: trigger, view }));
