import { describe, expect, it } from 'vitest';
import { basisOf } from '../../../src/domain/basis.js';
import { recordDecision } from '../../../src/domain/machine/record.js';
import type { Flow, Tool } from '../../../src/engine/flow.js';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import { decisionCardMessage } from '../../../src/slack/blocks/decision-card.js';
import { decisionLine } from '../../../src/slack/blocks/decisions.js';
import { DRIFT_MARKER, driftAckModal, driftChannelLine, driftNotice } from '../../../src/slack/blocks/drift.js';
import { type Decision, emptyTeam } from '../../../src/store/index.js';
import { checkMessage, checkView } from '../../support/block-kit.js';

const flow = getFlow();
const now = new Date('2026-11-20T10:00:00Z');
const NASTY = '<!channel> & <@U0BOSS>';
const MTLS = {
  clusters: 'one',
  services: '10-49',
  pains: ['mtls'],
  regulated: 'no',
  existing_mesh: 'none',
  platform: 'self-managed',
  ops: 'platform-team',
  overhead: 'normal',
  other_workloads: ['none'],
};

function withTool(id: string, change: Partial<Tool>): Flow {
  const tools = flow.tools.tools.map((t) => (t.id === id ? { ...t, ...change } : t));
  return { ...flow, tools: { ...flow.tools, tools }, toolById: new Map(tools.map((t) => [t.id, t])) };
}

function accepted(): Decision {
  const doc = emptyTeam('T0HOME');
  const r = recordDecision(doc, {
    title: NASTY,
    answers: MTLS,
    recommendation: recommend(flow, MTLS),
    status: 'accepted',
    by: 'U0ALICE',
    now,
    channel: 'C1',
    threadTs: '100.1',
  });
  if (!r.ok) throw new Error('not recorded');
  return { ...r.value, basis: basisOf(flow, r.value, now) };
}

const changed = withTool('istio-ambient', { licence: 'BUSL-1.1 & <more>' });

describe('where drift shows in Slack', () => {
  it('the decision card and the log line carry the marker only while a drift is unacknowledged', () => {
    const d = accepted();
    const ctx = { teamId: 'T0HOME', decisions: [d] };
    expect(JSON.stringify(decisionCardMessage(flow, d, ctx).blocks)).not.toContain(DRIFT_MARKER);
    expect(decisionLine(flow, d)).not.toContain(DRIFT_MARKER);
    const card = decisionCardMessage(changed, d, ctx);
    expect(checkMessage(card as unknown as Record<string, unknown>)).toEqual([]);
    const text = JSON.stringify(card.blocks);
    expect(text).toContain(DRIFT_MARKER);
    expect(text).toContain('BUSL-1.1 &amp; &lt;more&gt;');
    expect(decisionLine(changed, d)).toContain(DRIFT_MARKER);
    const acks = [
      { key: 'tool:istio-ambient:licence:BUSL-1.1 & <more>', by: 'U0BOB', at: now.toISOString(), reason: 'ok' },
    ];
    expect(JSON.stringify(decisionCardMessage(changed, { ...d, driftAcks: acks }, ctx).blocks)).not.toContain(
      DRIFT_MARKER,
    );
    // A record that is no longer accepted has no drift to review.
    expect(decisionLine(changed, { ...d, status: 'superseded' })).not.toContain(DRIFT_MARKER);
  });

  it('the notice, the channel line and the modal escape what they quote and pass Block Kit’s checks', () => {
    const d = accepted();
    const lines = ['Istio: licence changed from Apache-2.0 to <BUSL> & co'];
    const notice = driftNotice('T0HOME', d, lines);
    expect(checkMessage(notice as unknown as Record<string, unknown>)).toEqual([]);
    const blocks = JSON.stringify(notice.blocks);
    expect(blocks).toContain('&lt;BUSL&gt; &amp; co');
    expect(blocks).not.toContain('<!channel>');
    expect(blocks).toContain('"action_id":"drift:revisit"');
    expect(blocks).toContain('"action_id":"drift:acknowledge"');
    // One primary button per message.
    expect(blocks.match(/"style":"primary"/g)).toHaveLength(1);
    const line = driftChannelLine({ ...d, permalink: 'https://acme.slack.com/archives/C1/p1' }, [...lines, 'more']);
    expect(line.text).toContain('(+1 more)');
    expect(line.text).toContain('<https://acme.slack.com/archives/C1/p1|Discuss in the thread>');
    expect(driftChannelLine({ ...d, permalink: 'javascript:alert(1)' }, lines).text).not.toContain('javascript');
    expect(checkView(driftAckModal('T0HOME', d, lines))).toEqual([]);
  });
});
