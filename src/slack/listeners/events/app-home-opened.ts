import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { homeView } from '../../blocks/home.js';
import type { SlackDeps } from '../../context.js';
import { slackError } from '../../interview.js';
import { EventEnvelope, HomeOpenedEvent } from '../../payloads.js';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** Publishes the Home tab each time someone opens it (publishing twice is harmless, so retries need no de-duplication). */
export function appHomeOpened(deps: SlackDeps) {
  return async ({ event, body, client, context }: Args): Promise<void> => {
    const parsed = HomeOpenedEvent.safeParse(event);
    const envelope = EventEnvelope.safeParse(body);
    if (!parsed.success || parsed.data.tab === 'messages') return;
    const teamId = (envelope.success ? envelope.data.team_id : undefined) ?? context.teamId;
    if (!teamId) return;
    const doc = await deps.store.read(teamId);
    try {
      await client.views.publish({ user_id: parsed.data.user, view: homeView(deps.flow, doc) });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not publish the Home tab: ${slackError(err)}`);
    }
  };
}
