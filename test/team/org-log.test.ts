import { describe, expect, it } from 'vitest';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import type { Decision } from '../../src/store/index.js';
import { findConflicts, orgLog } from '../../src/team/org-log.js';
import { parseScope } from '../../src/team/scope.js';

const flow = getFlow();
const rec = recommend(flow, { clusters: 'one' });

function record(number: number, chosen: string[], status: Decision['status'], scope?: string[]): Decision {
  return {
    number,
    title: `Record ${number}`,
    status,
    answers: {},
    recommendation: rec,
    chosen,
    createdBy: 'U1',
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    replies: [],
    concerns: [],
    approvals: [],
    history: [],
    checklistTicks: {},
    ...(scope ? { scope } : {}),
  };
}

describe('the organisation log', () => {
  const teams = [
    {
      teamId: 'payments',
      decisions: [
        record(1, ['service-mesh'], 'accepted', ['prod-eu', 'staging']),
        record(2, ['cluster-mesh'], 'proposed', ['prod-eu']),
      ],
    },
    {
      teamId: 'search',
      decisions: [
        record(1, ['cluster-mesh'], 'accepted', ['prod-eu']),
        record(2, ['service-mesh'], 'accepted', ['staging']),
        record(3, ['plain-kubernetes'], 'superseded', ['prod-eu']),
      ],
    },
  ];

  it('flags accepted records that put different patterns on one tag, and nothing else', () => {
    const conflicts = findConflicts(teams);
    expect(conflicts).toEqual([
      {
        scope: 'prod-eu',
        a: { teamId: 'payments', number: 1, title: 'Record 1', chosen: ['service-mesh'] },
        b: { teamId: 'search', number: 1, title: 'Record 1', chosen: ['cluster-mesh'] },
      },
    ]);
    // The same pattern on a shared tag (staging) is agreement; proposed and superseded records do not count.
  });

  it('lists every team in order, each record with its conflicts, and filters by status, pattern, tool, team and scope', () => {
    const all = orgLog(flow, teams);
    expect(all.records.map((r) => `${r.teamId}/${r.number}`)).toEqual([
      'payments/1',
      'payments/2',
      'search/1',
      'search/2',
      'search/3',
    ]);
    expect(all.records[0]?.conflicts).toEqual([{ with: 'search/ADR-0001', scope: 'prod-eu' }]);
    expect(all.records[2]?.conflicts).toEqual([{ with: 'payments/ADR-0001', scope: 'prod-eu' }]);
    expect(all.records[1]?.conflicts).toEqual([]);
    const ids = (f: Parameters<typeof orgLog>[2]) =>
      orgLog(flow, teams, f).records.map((r) => `${r.teamId}/${r.number}`);
    expect(ids({ status: 'accepted' })).toEqual(['payments/1', 'search/1', 'search/2']);
    expect(ids({ pattern: 'cluster-mesh' })).toEqual(['payments/2', 'search/1']);
    expect(ids({ team: 'search', scope: 'staging' })).toEqual(['search/2']);
    expect(ids({ tool: 'ISTIO' })).toEqual(['payments/1', 'search/2']);
    // A filtered view keeps only the conflicts of what it shows.
    expect(orgLog(flow, teams, { scope: 'staging' }).conflicts).toHaveLength(1);
    expect(orgLog(flow, teams, { team: 'search', status: 'superseded' }).conflicts).toEqual([]);
  });

  it('reads cluster and environment tags as people type them, and refuses what is not a tag', () => {
    expect(parseScope('Prod-EU, staging  prod-eu')).toEqual({ ok: true, value: ['prod-eu', 'staging'] });
    expect(parseScope('')).toEqual({ ok: true, value: [] });
    expect(parseScope('prod eu!')).toMatchObject({ ok: false, error: expect.stringContaining('"eu!"') });
    expect(parseScope(Array.from({ length: 11 }, (_, i) => `c${i}`).join(','))).toMatchObject({ ok: false });
  });
});
