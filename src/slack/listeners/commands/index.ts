import type { App } from '@slack/bolt';
import { COMMAND } from '../../ids.js';
import type { SlackDeps } from '../../runtime/context.js';
import { afterAck } from '../../runtime/work.js';
import { meshHelpCommand } from './mesh-help.js';

/** The slash command surface. */
export function register(app: App, deps: SlackDeps): void {
  app.command(COMMAND, afterAck(deps.work, meshHelpCommand(deps)));
}
