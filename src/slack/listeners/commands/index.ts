import type { App } from '@slack/bolt';
import { COMMAND } from '../../ids.js';
import type { SlackDeps } from '../../runtime/context.js';
import { afterAck } from '../../runtime/work.js';
import { meshHelpCommand } from './mesh-help.js';
import { isRepoExport, parseCommand } from './parse.js';

/** The slash command surface. */
export function register(app: App, deps: SlackDeps): void {
  // An export to a repository waits on the network: it runs in the exports' own lane, not a work slot.
  app.command(
    COMMAND,
    afterAck(deps.work, meshHelpCommand(deps), ({ command }) => !isRepoExport(parseCommand(command.text ?? ''))),
  );
}
