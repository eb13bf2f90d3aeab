import type { App, ViewSubmitAction } from '@slack/bolt';
import { CALLBACKS, CONCERN, DEADLINE, DRIFT, SETTINGS } from '../../ids.js';
import type { SlackDeps } from '../../runtime/context.js';
import { concernSubmit } from './concern.js';
import { deadlineSubmit } from './deadline.js';
import { acknowledgeDriftSubmit } from './drift.js';
import { overrideSubmit } from './override.js';
import { settingsSubmit } from './settings.js';
import { startSubmit } from './start.js';

/** Modal submissions. */
export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: CALLBACKS.override }, overrideSubmit(deps));
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: CALLBACKS.start }, startSubmit(deps));
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: CONCERN.callback }, concernSubmit(deps));
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: DEADLINE.callback }, deadlineSubmit(deps));
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: SETTINGS.callback }, settingsSubmit(deps));
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: DRIFT.callback }, acknowledgeDriftSubmit(deps));
}
