import { match } from 'ts-pattern';

/** The install that authorized a request, as Bolt's context gives it (never the payload's own claims). */
export type AuthorizedInstall = {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
};

/** How the bot is installed: one bot token (its workspace from auth.test), or OAuth installs per workspace or org. */
export type InstallMode = { kind: 'token'; homeTeamId: string | undefined } | { kind: 'installs' };

/**
 * Whose records a request's organisation log may cover:
 * - `every-team`: the one-token bot's own workspace, which the whole store serves;
 * - `organisation`: the workspaces an Enterprise Grid org install serves;
 * - `workspace`: the requesting workspace alone;
 * - `none`: nothing identifies the install (never read as "everyone").
 */
export type OrgScope =
  | { kind: 'every-team' }
  | { kind: 'organisation'; enterpriseId: string; teamId: string }
  | { kind: 'workspace'; teamId: string }
  | { kind: 'none' };

const given = (v: string | undefined): v is string => typeof v === 'string' && v.length > 0;

/**
 * Decides the scope from the request's authorized install. An absent value
 * narrows, never widens: no home workspace means no `every-team`, and with
 * OAuth installs only an org-wide install reaches beyond one workspace.
 */
export function orgScopeOf(mode: InstallMode, install: AuthorizedInstall): OrgScope {
  const teamId = install.teamId;
  if (!given(teamId)) return { kind: 'none' };
  return match(mode)
    .with(
      { kind: 'token' },
      (m): OrgScope =>
        given(m.homeTeamId) && teamId === m.homeTeamId ? { kind: 'every-team' } : { kind: 'workspace', teamId },
    )
    .with(
      { kind: 'installs' },
      (): OrgScope =>
        install.isEnterpriseInstall === true && given(install.enterpriseId)
          ? { kind: 'organisation', enterpriseId: install.enterpriseId, teamId }
          : { kind: 'workspace', teamId },
    )
    .exhaustive();
}

/**
 * The team ids a scope covers, among the teams stored. `orgWorkspaces` lists
 * the workspaces an org's install serves (empty when the org has no install).
 */
export async function teamsInScope(
  scope: OrgScope,
  stored: () => Promise<string[]>,
  orgWorkspaces: (enterpriseId: string) => Promise<string[]>,
): Promise<string[]> {
  return match(scope)
    .with({ kind: 'every-team' }, () => stored())
    .with({ kind: 'organisation' }, async (s) => {
      const members = await orgWorkspaces(s.enterpriseId);
      // Only a workspace the org's install is known to serve reads the org's log; otherwise its own alone.
      if (!members.includes(s.teamId)) return [s.teamId];
      const inOrg = new Set(members);
      return (await stored()).filter((t) => inOrg.has(t));
    })
    .with({ kind: 'workspace' }, async (s) => [s.teamId])
    .with({ kind: 'none' }, async () => [])
    .exhaustive();
}
