import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as domain from '../../src/domain/model.js';
import * as team from '../../src/domain/team.js';
import * as engine from '../../src/engine/recommend.js';
import * as store from '../../src/store/index.js';
import { FileStore, TeamDoc } from '../../src/store/index.js';

const at = '2026-11-25T10:00:00.000Z';
const recommendation = {
  primary: 'service-mesh',
  complements: [],
  notNow: ['federation'],
  reasons: [{ pattern: 'service-mesh', question: 'pains', because: 'mTLS everywhere', futureReason: 'r' }],
  warnings: [],
  tools: [{ pattern: 'service-mesh', tool: 'istio', fit: 'first-choice', because: 'mTLS', futureTool: 't' }],
  checklist: [{ pattern: 'service-mesh', item: 'one root CA', because: 'trust', futureItem: 'i' }],
  futureRecommendation: 'a field a newer engine adds',
};

/** A team document as a newer mesh-help might write it: a `future*` field on every object the domain defines. */
function futureDoc() {
  const reply = { ts: '1.1', user: 'U2', text: 'hi', at, deleted: false, futureReply: 'r' };
  const concern = { id: 'c1', by: 'U3', text: 'cost?', at, futureConcern: { nested: [1, 2] } };
  const approval = { by: 'U4', at, futureApproval: true };
  const tick = { by: 'U5', at, futureTick: 'ticked from the CLI' };
  const ruleChange = { at, by: 'U1', setting: 'approvals', from: '0', to: '2', futureRuleChange: 'r' };
  return {
    schemaVersion: store.SCHEMA_VERSION,
    teamId: 'T1',
    nextDecisionNumber: 2,
    sessions: [
      {
        id: 's1',
        teamId: 'T1',
        startedBy: 'U1',
        title: 'Mesh for payments',
        answers: { pains: ['mtls'] },
        answeredBy: { pains: { by: 'U1', at, futureAnsweredBy: 1 } },
        status: 'decided',
        recommendation,
        replies: [reply],
        concerns: [concern],
        approvals: [approval],
        checklistTicks: { abc: tick },
        createdAt: at,
        updatedAt: at,
        version: 3,
        futureSession: { machineState: 'decided' },
      },
    ],
    decisions: [
      {
        number: 1,
        title: 'Adopt a service mesh',
        status: 'accepted',
        answers: { pains: ['mtls'] },
        recommendation,
        chosen: ['service-mesh'],
        createdBy: 'U1',
        createdAt: at,
        updatedAt: at,
        cards: [{ channel: 'C1', ts: '2.2', futureCard: 'c' }],
        replies: [reply],
        concerns: [concern],
        approvals: [approval],
        checklistTicks: { abc: tick },
        history: [{ at, by: 'U1', to: 'accepted', futureHistory: 'h' }],
        ruleChanges: [ruleChange],
        futureDecision: 42,
      },
    ],
    config: {
      approvals: 2,
      repo: { owner: 'acme', name: 'adr', path: 'docs/decisions', futureRepo: 'r' },
      gitRemote: { url: 'https://git.example/adr.git', path: 'docs', futureGit: 'g' },
      history: [ruleChange],
      futureConfig: 'c',
    },
    seenEvents: [],
    futureTeam: 't',
  };
}

/** Every `future*` key in a JSON value, with its path. */
function futureKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => futureKeys(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(k.startsWith('future') ? [`${path}.${k}`] : []),
    ...futureKeys(v, `${path}.${k}`),
  ]);
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the domain model', () => {
  it('is what the store validates with: the same schema objects, not copies', () => {
    expect(store.Session).toBe(domain.Session);
    expect(store.Decision).toBe(domain.Decision);
    expect(store.DecisionStatus).toBe(domain.DecisionStatus);
    expect(store.TeamConfig).toBe(domain.TeamConfig);
    expect(TeamDoc.shape.sessions.element).toBe(domain.Session);
    expect(TeamDoc.shape.decisions.element).toBe(domain.Decision);
    expect(TeamDoc.shape.config).toBe(domain.TeamConfig);
  });

  it("is where the team document is defined: the store's TeamDoc is the domain's, not a copy", () => {
    expect(store.TeamDoc).toBe(team.TeamDoc);
    expect(store.ExportState).toBe(team.ExportState);
    expect(team.TeamDoc.shape.exports.unwrap()).toBe(team.ExportState);
    expect(store.emptyTeam).toBe(team.emptyTeam);
    expect(store.SCHEMA_VERSION).toBe(team.SCHEMA_VERSION);
    expect(team.TeamDoc.parse(team.emptyTeam('T1'))).toEqual(team.emptyTeam('T1'));
  });

  it("re-exports the engine's recommendation schemas rather than defining its own", () => {
    expect(domain.Recommendation).toBe(engine.Recommendation);
    expect(domain.Reason).toBe(engine.Reason);
    expect(domain.ToolChoice).toBe(engine.ToolChoice);
    expect(domain.ChecklistItem).toBe(engine.ChecklistItem);
    expect(domain.Decision.shape.recommendation).toBe(engine.Recommendation);
    expect(domain.Session.shape.recommendation.unwrap()).toBe(engine.Recommendation);
  });

  it('keeps a field a newer version wrote, at every level, through a parse and save by the store schema', () => {
    const raw = futureDoc();
    const before = futureKeys(raw);
    expect(before).toHaveLength(27);
    const again = TeamDoc.parse(JSON.parse(JSON.stringify(TeamDoc.parse(raw))));
    expect(futureKeys(again)).toEqual(before);
    expect(again.decisions[0]).toMatchObject({ futureDecision: 42 });
    expect(again.sessions[0]?.concerns[0]).toMatchObject({ futureConcern: { nested: [1, 2] } });
  });

  it('keeps those fields in the team file when the file store loads it and saves a change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-model-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'teams'));
    const file = join(dir, 'teams', 'T1.json');
    writeFileSync(file, JSON.stringify(futureDoc()));
    const fileStore = new FileStore(dir);
    await fileStore.update('T1', (doc) => {
      const d = doc.decisions[0];
      if (!d) throw new Error('the fixture has a decision');
      d.title = 'Adopt a service mesh, renamed';
    });
    await fileStore.close();
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.decisions[0].title).toBe('Adopt a service mesh, renamed');
    expect(futureKeys(saved).sort()).toEqual(futureKeys(futureDoc()).sort());
  });
});
