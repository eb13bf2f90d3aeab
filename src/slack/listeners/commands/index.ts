import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../context.js';
import { COMMAND } from '../../ids.js';
import { meshHelpCommand } from './mesh-help.js';

/** The slash command surface. */
export function register(app: App, deps: SlackDeps): void {
  app.command(COMMAND, meshHelpCommand(deps));
}
