import type { App, BlockAction } from '@slack/bolt';
import type { SlackDeps } from '../../context.js';
import {
  ACTIONS,
  ANSWER_ACTION,
  CHECKLIST_ACTION,
  CONCERN,
  CONFIRM_ACTION,
  DEADLINE,
  PICK_ACTION,
  REMINDER,
} from '../../ids.js';
import { afterAck } from '../../work.js';
import { answerAction, pickAction } from './answer.js';
import { approveAction } from './approve.js';
import { checklistAction } from './checklist.js';
import { raiseConcernAction, resolveConcernAction } from './concern.js';
import { openDeadlineAction } from './deadline.js';
import { acceptAction, overrideAction } from './decision.js';
import { exportMenuAction } from './export-menu.js';
import { exportRecordAction } from './export-record.js';
import { lifeCycleAction } from './lifecycle.js';
import { MENU_ACTIONS, menuAction } from './menu.js';
import { revisitAction } from './reminder.js';
import { resumeAction } from './resume.js';

/** Buttons and checkboxes in messages and the Home tab. */
export function register(app: App, deps: SlackDeps): void {
  // Answers and accepts queue their follow-ups; buttons that open a modal do not, since trigger_id expires in 3 s.
  app.action<BlockAction>({ type: 'block_actions', action_id: ANSWER_ACTION }, afterAck(deps.work, answerAction(deps)));
  app.action<BlockAction>(
    { type: 'block_actions', action_id: CONFIRM_ACTION },
    afterAck(deps.work, answerAction(deps)),
  );
  app.action<BlockAction>({ type: 'block_actions', action_id: PICK_ACTION }, pickAction());
  app.action<BlockAction>(
    { type: 'block_actions', action_id: ACTIONS.accept },
    afterAck(deps.work, acceptAction(deps)),
  );
  app.action<BlockAction>({ type: 'block_actions', action_id: ACTIONS.override }, overrideAction(deps));
  app.action<BlockAction>(
    { type: 'block_actions', action_id: ACTIONS.approve },
    afterAck(deps.work, approveAction(deps)),
  );
  app.action<BlockAction>(
    { type: 'block_actions', action_id: ACTIONS.export },
    afterAck(deps.work, exportRecordAction(deps)),
  );
  app.action<BlockAction>(
    { type: 'block_actions', action_id: ACTIONS.exportMenu },
    afterAck(deps.work, exportMenuAction(deps)),
  );
  app.action<BlockAction>(
    { type: 'block_actions', action_id: ACTIONS.reject },
    afterAck(deps.work, lifeCycleAction(deps, 'reject')),
  );
  app.action<BlockAction>(
    { type: 'block_actions', action_id: ACTIONS.reopen },
    afterAck(deps.work, lifeCycleAction(deps, 'reopen')),
  );
  app.action<BlockAction>(
    { type: 'block_actions', action_id: ACTIONS.deprecate },
    afterAck(deps.work, lifeCycleAction(deps, 'deprecate')),
  );
  // Raising opens a modal (no queue: trigger_id expires in 3 s); resolving writes and updates the card.
  app.action<BlockAction>({ type: 'block_actions', action_id: CONCERN.raise }, raiseConcernAction(deps));
  app.action<BlockAction>(
    { type: 'block_actions', action_id: CONCERN.resolve },
    afterAck(deps.work, resolveConcernAction(deps)),
  );
  // Opens a modal: no queue (trigger_id expires in 3 s).
  app.action<BlockAction>({ type: 'block_actions', action_id: DEADLINE.open }, openDeadlineAction(deps));
  app.action<BlockAction>(
    { type: 'block_actions', action_id: REMINDER.revisit },
    afterAck(deps.work, revisitAction(deps)),
  );
  app.action<BlockAction>(
    { type: 'block_actions', action_id: ACTIONS.resume },
    afterAck(deps.work, resumeAction(deps)),
  );
  app.action<BlockAction>(
    { type: 'block_actions', action_id: CHECKLIST_ACTION },
    afterAck(deps.work, checklistAction(deps)),
  );
  for (const id of MENU_ACTIONS) app.action<BlockAction>({ type: 'block_actions', action_id: id }, menuAction(deps));
}
