import { COMMAND } from '../../ids.js';
import type { SlackDeps } from '../../runtime/context.js';
import type { CommandArgs, Routes } from '../../runtime/routes.js';
import { afterAck } from '../../runtime/work.js';
import { meshHelpCommand } from './mesh-help.js';
import { isRepoExport, parseCommand } from './parse.js';

/** The slash command surface. */
export function register(commands: Routes<CommandArgs>, deps: SlackDeps): void {
  // An export to a repository waits on the network: it runs in the exports' own lane, not a work slot.
  commands.on(
    COMMAND,
    afterAck(deps.work, meshHelpCommand(deps), ({ command }) => !isRepoExport(parseCommand(command.text ?? ''))),
  );
}
