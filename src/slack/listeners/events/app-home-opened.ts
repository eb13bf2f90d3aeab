import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { type OrgLog, orgLog } from '../../../team/org-log.js';
import { sharedOnly } from '../../../team/visibility.js';
import { homeView } from '../../blocks/home.js';
import { EventEnvelope, HomeOpenedEvent } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { slackError } from '../../runtime/failures.js';
import { orgScopeFor, orgTeamsFor } from '../../runtime/org-teams.js';
import { visibleToUser } from '../../runtime/visibility.js';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** The log of every readable team in scope, for the Home tab's organisation section (an unreadable team file is skipped). */
async function organisation(deps: SlackDeps, teamIds: string[]): Promise<OrgLog | undefined> {
  const read = await Promise.allSettled(teamIds.map((id) => deps.store.read(id)));
  // Outside every conversation: records of private channels and DMs stay out of the organisation's log.
  const teams = read.flatMap((r) =>
    r.status === 'fulfilled' ? [{ ...r.value, decisions: sharedOnly(r.value.decisions).shared }] : [],
  );
  return teams.length > 1 ? orgLog(deps.flow, teams) : undefined;
}

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
    // Other teams' records only within the request's install (its Grid org), as in `/mesh-help decisions all`.
    const scope = orgScopeFor(deps, context);
    const org =
      scope.kind === 'every-team' || scope.kind === 'organisation'
        ? await orgTeamsFor(deps, scope)
            .then((ids) => organisation(deps, ids))
            .catch(() => undefined)
        : undefined;
    try {
      await client.views.publish({ user_id: user, view: homeView(deps.flow, seen.doc, undefined, leftOut, org) });
    } catch (err) {
      deps.logger.warn(`mesh-help: could not publish the Home tab: ${slackError(err)}`);
    }
  };
}
