import type { WebClient } from '@slack/web-api';
import type { Event, OutcomeOf } from '../../domain/machine/events.js';
import { advance, scopeOf } from '../../domain/machine/step.js';
import type { SlackDeps } from './context.js';
import { runEffects } from './effects.js';

/**
 * The one way Slack changes an interview or a record: the state machine's
 * step inside one store update (checks and change are one atomic write), then
 * its effects in the session's queue. Resolves once the effects have run.
 */
export async function dispatch<E extends Event>(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  event: E,
): Promise<OutcomeOf<E>> {
  const { effects, interview, outcome } = await deps.store.update(
    teamId,
    (doc) => advance(deps.flow, doc, event, deps.now()),
    scopeOf(event),
  );
  if (interview) await runEffects(deps, client, teamId, interview, effects);
  return outcome;
}
