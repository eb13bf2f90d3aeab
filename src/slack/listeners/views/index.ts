import { CALLBACKS, CONCERN, DEADLINE, DRIFT, SETTINGS } from '../../ids.js';
import type { SlackDeps } from '../../runtime/context.js';
import type { Routes, ViewArgs } from '../../runtime/routes.js';
import { concernSubmit } from './concern.js';
import { deadlineSubmit } from './deadline.js';
import { acknowledgeDriftSubmit } from './drift.js';
import { overrideSubmit } from './override.js';
import { settingsSubmit } from './settings.js';
import { startSubmit } from './start.js';

/** Modal submissions. */
export function register(views: Routes<ViewArgs>, deps: SlackDeps): void {
  views.on(CALLBACKS.override, overrideSubmit(deps));
  views.on(CALLBACKS.start, startSubmit(deps));
  views.on(CONCERN.callback, concernSubmit(deps));
  views.on(DEADLINE.callback, deadlineSubmit(deps));
  views.on(SETTINGS.callback, settingsSubmit(deps));
  views.on(DRIFT.callback, acknowledgeDriftSubmit(deps));
}
