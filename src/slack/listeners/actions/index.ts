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
import type { ActionArgs, ActionListener, Routes } from '../../runtime/routes.js';
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
export function register(actions: Routes<ActionArgs>, deps: SlackDeps): void {
  const queued = (id: string | RegExp, listener: ActionListener) => actions.on(id, afterAck(deps.work, listener));
  // The interview message: single-choice answers, ticks of a multi-choice one and its confirm button,
  // and the menu that opens an answered question again.
  queued(ANSWER_ACTION, answerAction(deps));
  queued(CHANGE_ACTION, changeAction(deps));
  queued(CONFIRM_ACTION, answerAction(deps));
  actions.on(PICK_ACTION, pickAction());
  registerRecommendationCard(actions, deps);
  registerDecisionCard(actions, deps);
  registerDetails(actions, deps);
  // The readiness checklist under the recommendation card.
  queued(CHECKLIST_ACTION, checklistAction(deps));
  // The revisit reminder, and the Resume button of private notes.
  queued(REMINDER.revisit, revisitAction(deps));
  // A drift notice: a revisit that starts from the record's answers, and "Still right for us" (opens a modal).
  queued(DRIFT.revisit, revisitAction(deps, true));
  actions.on(DRIFT.acknowledge, acknowledgeDriftAction(deps));
  queued(ACTIONS.resume, resumeAction(deps));
  // The private `compare` answer's Share in channel button.
  actions.on(ACTIONS.shareCompare, shareCompareAction(deps));
  for (const id of MENU_ACTIONS) actions.on(id, menuAction(deps));
}
