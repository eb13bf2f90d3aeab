import type { App } from '@slack/bolt';
import { register as registerActions } from './listeners/actions/index.js';
import { register as registerCommands } from './listeners/commands/index.js';
import { register as registerEvents } from './listeners/events/index.js';
import { register as registerShortcuts } from './listeners/shortcuts/index.js';
import { register as registerViews } from './listeners/views/index.js';
import type { SlackDeps } from './runtime/context.js';
import { teamLookup } from './runtime/middleware.js';
import { mountRoutes, type SlackRoutes, slackRoutes } from './runtime/routes.js';

export type { SlackDeps } from './runtime/context.js';
export { BOT_EVENTS, BOT_SCOPES } from './runtime/scopes.js';

/** Registers every surface's listeners; the routes they were added to. */
export function registerListeners(app: App, deps: SlackDeps): SlackRoutes {
  // Which teams a payload may concern, worked out once per request for every listener.
  app.use(teamLookup(deps.homeTeamId));
  // Every kind of request goes through one router, mounted last (routes.ts): Bolt itself holds no listener.
  const routes = slackRoutes();
  registerCommands(routes.commands, deps);
  registerShortcuts(routes.shortcuts, deps);
  registerActions(routes.actions, deps);
  registerViews(routes.views, deps);
  registerEvents(routes.events, deps);
  mountRoutes(app, routes);
  return routes;
}
