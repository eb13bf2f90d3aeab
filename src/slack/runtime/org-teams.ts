import type { Context } from '@slack/bolt';
import { type OrgScope, orgScopeOf, teamsInScope } from '../../team/org-scope.js';
import type { SlackDeps } from './context.js';

/** The scope of a request's organisation log, from the install Bolt authorized it with. */
export function orgScopeFor(deps: SlackDeps, context: Context): OrgScope {
  const mode = deps.installs
    ? ({ kind: 'installs' } as const)
    : ({ kind: 'token', homeTeamId: deps.homeTeamId } as const);
  return orgScopeOf(mode, {
    teamId: context.teamId,
    enterpriseId: context.enterpriseId,
    isEnterpriseInstall: context.isEnterpriseInstall,
  });
}

/** The stored teams a request's organisation log may read. */
export function orgTeamsFor(deps: SlackDeps, scope: OrgScope): Promise<string[]> {
  return teamsInScope(
    scope,
    () => deps.store.teams(),
    async (enterpriseId) => (deps.installs ? deps.installs.workspacesOf(enterpriseId) : []),
  );
}
