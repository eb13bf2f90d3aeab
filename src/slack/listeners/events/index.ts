import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../runtime/context.js';
import { appHomeOpened } from './app-home-opened.js';
import { appMention } from './app-mention.js';
import { threadMessage } from './message.js';
import { appUninstalled, tokensRevoked } from './uninstall.js';

/** Events API subscriptions; keep in step with BOT_EVENTS in scopes.ts. */
export function register(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', appHomeOpened(deps));
  // message.channels and message.groups both arrive as `message`.
  app.event('message', threadMessage(deps));
  app.event('app_mention', appMention(deps));
  app.event('app_uninstalled', appUninstalled(deps));
  app.event('tokens_revoked', tokensRevoked(deps));
}
