import { describe, expect, it } from 'vitest';
import { recordDecision, transition } from '../../../src/domain/machine/record.js';
import type { Answers } from '../../../src/engine/flow.js';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import { configMessage } from '../../../src/slack/blocks/config.js';
import { decisionCardMessage } from '../../../src/slack/blocks/decision-card.js';
import { recommendationMessage } from '../../../src/slack/blocks/recommendation.js';
import { type Decision, emptyTeam, type TeamDoc } from '../../../src/store/index.js';
import { checkMessage } from '../../support/block-kit.js';

const flow = getFlow();
const now = new Date('2026-11-20T10:00:00Z');
type Json = Record<string, unknown>;
const NASTY = '<!channel> & <@U0BOSS>';
const LONG = '<&>'.repeat(50);
const ALL_PAINS: Answers = {
  clusters: 'multi-region',
  services: '50-plus',
  pains: ['flaky-calls', 'mtls', 'canary', 'tracing', 'region-failover', 'cross-cluster-calls', 'none'],
  regulated: 'yes',
  ops: 'none',
  overhead: 'tight',
};

function record(doc: TeamDoc, answers: Answers, extra: Partial<Parameters<typeof recordDecision>[1]> = {}): Decision {
  const r = recordDecision(doc, {
    title: LONG,
    answers,
    recommendation: recommend(flow, answers),
    status: 'accepted',
    by: 'U0ALICE',
    now,
    ...extra,
  });
  if (!r.ok) throw new Error(r.error.kind);
  return r.value;
}

const ids = (raw: unknown[]) =>
  (raw as Json[]).flatMap((b) => ((b.elements ?? []) as Json[]).map((e) => e.action_id)).filter(Boolean);

describe('decisionCardMessage', () => {
  it('shows number, status, choice, drivers with their questions, consequences, revisit date and both buttons', () => {
    const doc = emptyTeam('T0HOME');
    const d = record(doc, { clusters: 'one', services: 'under-10', pains: ['none'], ops: 'none' });
    const msg = decisionCardMessage(flow, d, { teamId: 'T0HOME', decisions: doc.decisions });
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('ADR-0001');
    expect(text).toContain('*accepted* by <@U0ALICE> on 2026-11-20');
    expect(text).toContain('Decision drivers');
    // Each driver once, with the answer it rests on after it.
    expect(text).toContain('_(How many services call each other? → Fewer than 10)_');
    expect(text).toContain('*Chosen:* Plain Kubernetes');
    expect(text).toContain('Consequences');
    expect(text).toContain(`Revisit by*\\n${d.revisitOn}`);
    expect(ids(msg.blocks)).toEqual(['decision:export-menu', 'decision:reopen', 'decision:deprecate']);
    const buttons = (msg.blocks.find((b) => b.type === 'actions') as unknown as Json).elements as Json[];
    expect(((buttons[0]?.options ?? []) as Json[]).map((o) => o.value)).toEqual(['upload:T0HOME:1', 'pr:T0HOME:1']);
    expect(buttons.slice(1).map((b) => b.value)).toEqual(['T0HOME:1', 'T0HOME:1']);
    expect(buttons[2]?.confirm).toMatchObject({ style: 'danger' });
    expect(checkMessage(msg)).toEqual([]);
  });

  it('shows an override with what was recommended and the reason, escaped', () => {
    const doc = emptyTeam('T0HOME');
    const d = record(doc, { clusters: 'one' }, { chosen: ['federation'], overrideReason: NASTY });
    const text = JSON.stringify(decisionCardMessage(flow, d, { teamId: 'T0HOME', decisions: doc.decisions }).blocks);
    expect(text).toContain('overrode the recommendation');
    expect(text).toContain('the team chose *Federation*');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0BOSS>');
  });

  it('names the record it supersedes and the one that superseded it; a superseded record cannot be reopened', () => {
    const doc = emptyTeam('T0HOME');
    const old = record(doc, { clusters: 'one' }, { title: 'Old way' });
    const successor = record(doc, { clusters: 'multi-region' }, { title: 'New way', supersedes: old.number });
    const ctx = { teamId: 'T0HOME', decisions: doc.decisions };
    expect(JSON.stringify(decisionCardMessage(flow, successor, ctx).blocks)).toContain('Supersedes *ADR-0001* Old way');
    const oldCard = decisionCardMessage(flow, doc.decisions[0] as Decision, ctx);
    expect(JSON.stringify(oldCard.blocks)).toContain('Superseded by *ADR-0002* New way');
    expect(ids(oldCard.blocks)).toEqual(['decision:export-menu']);
  });

  it('stays inside Block Kit limits with every pain, warnings, long escaped text and many approvals', () => {
    const doc = emptyTeam('T0HOME');
    const d = record(doc, ALL_PAINS, { chosen: flow.patterns.map((p) => p.id), overrideReason: LONG.repeat(20) });
    d.approvals = Array.from({ length: 300 }, (_, i) => ({ by: `U0P${i}`, at: now.toISOString() }));
    const msg = decisionCardMessage(flow, d, { teamId: 'T0HOME', decisions: doc.decisions });
    expect(checkMessage(msg)).toEqual([]);
    const deprecated = transition(doc, d.number, 'deprecated', 'U0ALICE', now);
    expect(deprecated.ok).toBe(true);
  });
});

describe('the recommendation card with approvals', () => {
  const answers: Answers = { clusters: 'one' };
  const input = { title: 'T', answers, recommendation: recommend(flow, answers) };

  it('offers Approve and shows who approved, counting each person once, only when approvals are required', () => {
    const none = recommendationMessage(flow, input, { kind: 'active' });
    const row = ['decision:override', 'concern:raise', 'deadline:open', 'details:open'];
    expect(ids(none.blocks)).toEqual(['decision:accept', ...row]);
    const at = now.toISOString();
    const two = recommendationMessage(
      flow,
      {
        ...input,
        approvalsNeeded: 2,
        approvals: [
          { by: 'U0ALICE', at },
          { by: 'U0ALICE', at },
        ],
      },
      { kind: 'active' },
    );
    expect(ids(two.blocks)).toEqual(['decision:accept', 'decision:approve', ...row]);
    const text = JSON.stringify(two.blocks);
    expect(text).toContain('1 of 2');
    expect(text).toContain('(<@U0ALICE>)');
    expect(text).toContain('1 more');
    expect(checkMessage(two)).toEqual([]);
  });
});

describe('configMessage', () => {
  it('shows the decisions channel and the approvals rule', () => {
    const text = JSON.stringify(configMessage({ decisionsChannel: 'C0DECIDE', approvals: 3 }).blocks);
    expect(text).toContain('<#C0DECIDE>');
    expect(text).toContain('3 from different people');
    expect(JSON.stringify(configMessage({ approvals: 0 }).blocks)).toContain('none: anyone');
  });
});
