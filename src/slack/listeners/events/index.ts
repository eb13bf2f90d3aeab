import type { SlackDeps } from '../../runtime/context.js';
import type { EventArgs, Routes } from '../../runtime/routes.js';
import { appHomeOpened } from './app-home-opened.js';
import { appMention } from './app-mention.js';
import { threadMessage } from './message.js';
import { appUninstalled, tokensRevoked } from './uninstall.js';

/** Each handler reads its own event type (and checks it with zod); the route picks it by that type. */
const byType = <A>(listener: (args: A) => Promise<void>) => listener as unknown as (args: EventArgs) => Promise<void>;

/** The event types the bot listens to; Bolt's `message` takes both message.channels and message.groups. */
export const LISTENED_EVENTS = [
  'app_home_opened',
  'message',
  'app_mention',
  'app_uninstalled',
  'tokens_revoked',
] as const;

/** Events API subscriptions, routed by type; keep in step with BOT_EVENTS in scopes.ts. */
export function register(events: Routes<EventArgs>, deps: SlackDeps): void {
  const handlers: Record<(typeof LISTENED_EVENTS)[number], (args: EventArgs) => Promise<void>> = {
    app_home_opened: byType(appHomeOpened(deps)),
    message: byType(threadMessage(deps)),
    app_mention: byType(appMention(deps)),
    app_uninstalled: byType(appUninstalled(deps)),
    tokens_revoked: byType(tokensRevoked(deps)),
  };
  for (const type of LISTENED_EVENTS) events.on(type, handlers[type]);
}
