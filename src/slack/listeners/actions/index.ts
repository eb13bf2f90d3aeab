import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import {
  ACTIONS,
  ANSWER_ACTION,
  CHANGE_ACTION,
  CHECKLIST_ACTION,
  CONFIRM_ACTION,
  DRIFT,
  PICK_ACTION,
  REMINDER,
} from '../../ids.js';
import type { SlackDeps } from '../../runtime/context.js';
import { afterAck } from '../../runtime/work.js';
import { checklistAction } from './checklist.js';
import { shareCompareAction } from './compare.js';
import { registerDecisionCard } from './decision-card.js';
import { registerDetails } from './details.js';
import { acknowledgeDriftAction } from './drift.js';
import { MENU_ACTIONS, menuAction } from './menu.js';
import { answerAction, changeAction, pickAction } from './question.js';
import { registerRecommendationCard } from './recommendation-card.js';
import { revisitAction } from './reminder.js';
import { resumeAction } from './resume.js';

/**
 * Buttons and checkboxes in messages and the Home tab, by the message they
 * sit on. Clicks that write queue their follow-ups behind a work slot after
 * the ack; buttons that open a modal do not, since trigger_id expires in 3 s.
 */
export function register(app: App, deps: SlackDeps): void {
  type Listener = (args: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs) => Promise<void>;
  const queued = (id: string | RegExp, listener: Listener) =>
    app.action<BlockAction>({ type: 'block_actions', action_id: id }, afterAck(deps.work, listener));
  // The interview message: single-choice answers, ticks of a multi-choice one and its confirm button,
  // and the menu that opens an answered question again.
  queued(ANSWER_ACTION, answerAction(deps));
  queued(CHANGE_ACTION, changeAction(deps));
  queued(CONFIRM_ACTION, answerAction(deps));
  app.action<BlockAction>({ type: 'block_actions', action_id: PICK_ACTION }, pickAction());
  registerRecommendationCard(app, deps);
  registerDecisionCard(app, deps);
  registerDetails(app, deps);
  // The readiness checklist under the recommendation card.
  queued(CHECKLIST_ACTION, checklistAction(deps));
  // The revisit reminder, and the Resume button of private notes.
  queued(REMINDER.revisit, revisitAction(deps));
  // A drift notice: a revisit that starts from the record's answers, and "Still right for us" (opens a modal).
  queued(DRIFT.revisit, revisitAction(deps, true));
  app.action<BlockAction>({ type: 'block_actions', action_id: DRIFT.acknowledge }, acknowledgeDriftAction(deps));
  queued(ACTIONS.resume, resumeAction(deps));
  // The private `compare` answer's Share in channel button.
  app.action<BlockAction>({ type: 'block_actions', action_id: ACTIONS.shareCompare }, shareCompareAction(deps));
  for (const id of MENU_ACTIONS) app.action<BlockAction>({ type: 'block_actions', action_id: id }, menuAction(deps));
}
