import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../context.js';
import { COMMAND } from '../../ids.js';
import { afterAck } from '../../work.js';
import { meshHelpCommand } from './mesh-help.js';

/** The slash command surface. */
export function register(app: App, deps: SlackDeps): void {
  app.command(COMMAND, afterAck(deps.work, meshHelpCommand(deps)));
}
