import { describe, expect, it } from 'vitest';
import { type InstallMode, type OrgScope, orgScopeOf, teamsInScope } from '../../src/team/org-scope.js';

const TOKEN: InstallMode = { kind: 'token', homeTeamId: 'T0HOME' };
const INSTALLS: InstallMode = { kind: 'installs' };

describe('whose records a request’s organisation log covers', () => {
  it.each<[string, InstallMode, Parameters<typeof orgScopeOf>[1], OrgScope]>([
    ['one token, the bot’s own workspace: every team', TOKEN, { teamId: 'T0HOME' }, { kind: 'every-team' }],
    ['one token, another workspace: its own', TOKEN, { teamId: 'T0GUEST' }, { kind: 'workspace', teamId: 'T0GUEST' }],
    [
      'one token whose workspace is unknown: never every team',
      { kind: 'token', homeTeamId: undefined },
      { teamId: 'T0ANY' },
      { kind: 'workspace', teamId: 'T0ANY' },
    ],
    ['installs, a workspace install: its own', INSTALLS, { teamId: 'T0A' }, { kind: 'workspace', teamId: 'T0A' }],
    [
      'installs, an org-wide install: the org',
      INSTALLS,
      { teamId: 'T0A', enterpriseId: 'E0ORG', isEnterpriseInstall: true },
      { kind: 'organisation', enterpriseId: 'E0ORG', teamId: 'T0A' },
    ],
    [
      'installs, a Grid workspace installed alone: its own',
      INSTALLS,
      { teamId: 'T0A', enterpriseId: 'E0ORG', isEnterpriseInstall: false },
      { kind: 'workspace', teamId: 'T0A' },
    ],
    ['no team at all: nothing', INSTALLS, {}, { kind: 'none' }],
    ['one token and no team: nothing', TOKEN, { teamId: '' }, { kind: 'none' }],
  ])('%s', (_, mode, install, expected) => {
    expect(orgScopeOf(mode, install)).toEqual(expected);
  });

  it('an org scope reads only the stored teams its install serves, and only for a workspace it serves', async () => {
    const stored = async () => ['T0A', 'T0B', 'T0OTHER', 'T0C'];
    const served = async (e: string) => (e === 'E0ORG' ? ['T0A', 'T0B', 'T0GONE'] : []);
    const org = (teamId: string): OrgScope => ({ kind: 'organisation', enterpriseId: 'E0ORG', teamId });
    expect(await teamsInScope(org('T0A'), stored, served)).toEqual(['T0A', 'T0B']);
    expect(await teamsInScope(org('T0C'), stored, served)).toEqual(['T0C']);
    expect(await teamsInScope({ kind: 'workspace', teamId: 'T0A' }, stored, served)).toEqual(['T0A']);
    expect(await teamsInScope({ kind: 'none' }, stored, served)).toEqual([]);
    expect(await teamsInScope({ kind: 'every-team' }, stored, served)).toEqual(await stored());
  });
});
