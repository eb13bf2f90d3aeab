import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { homeView } from '../../blocks/home.js';
import type { SlackDeps } from '../../context.js';
import { slackError } from '../../interview.js';
import { EventEnvelope, HomeOpenedEvent } from '../../payloads.js';
import { visibleToUser } from '../../visibility.js';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** Publishes the Home tab each time someone opens it (publishing twice is harmless, so retries need no de-duplication). */
export function appHomeOpened(deps: SlackDeps) {
  return async ({ event, body, client, context }: Args): Promise<void> => {
    const parsed = HomeOpenedEvent.safeParse(event);
    const envelope = EventEnvelope.safeParse(body);
    if (!parsed.success || parsed.data.tab === 'messages') return;
    const teamId = (envelope.success ? envelope.data.team_id : undefined) ?? context.teamId;
    if (!teamId) return;
    const user = parsed.data.user;
    // Private conversations' records show only to their members.
    const seen = await visibleToUser(deps, client, await deps.store.read(teamId), user);
    const leftOut = { decisions: seen.hiddenDecisions, sessions: seen.hiddenSessions };
    try {
      await client.views.publish({ user_id: user, view: homeView(deps.flow, seen.doc, undefined, leftOut) });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not publish the Home tab: ${slackError(err)}`);
    }
  };
}
