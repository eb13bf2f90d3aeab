import { afterEach, describe, expect, it } from 'vitest';
import { checklistKey } from '../../../src/engine/checklist.js';
import { UNUSABLE_STATUSES } from '../../../src/engine/contract.js';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import { checklistPayload } from '../../support/driver.js';
import type { StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  type Harness,
  isPost,
  selectPayload,
  startHarness,
  textOf,
} from '../../support/harness.js';
import { visibleChars } from '../../support/visible.js';
import { answerAll, startWalk, TWO_REGIONS_ON_ISTIO, viewClickPayload, withAction } from '../../support/walk.js';

type Json = Record<string, unknown>;
const flow = getFlow();
const DECISIONS = 'C0DECIDE';
let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** What the channel itself shows: top-level messages and thread replies also sent to the channel. */
function channelMessages(channel: string): StoredMessage[] {
  const broadcast = new Set(
    h.fake
      .called('chat.postMessage')
      .filter((c) => c.params.reply_broadcast === true)
      .map((c) => `${c.params.thread_ts}\n${c.params.text}`),
  );
  return [...h.fake.messages.values()].filter(
    (m) =>
      m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts || broadcast.has(`${m.thread_ts}\n${m.text}`)),
  );
}

describe('a decision a busy engineer takes in at a glance (issue #17), walked over signed requests', () => {
  it('15 questions, a short card naming the tools, Details with every reason, one line in the channel, a decision card naming the tools', async () => {
    h = await startHarness();
    await h.command(`config channel <#${DECISIONS}|decisions>`);
    await h.idle();
    const rootTs = await startWalk(h, 'Payments across two regions');
    const asked = await answerAll(h, rootTs, TWO_REGIONS_ON_ISTIO);
    expect(asked).toHaveLength(15);

    // The card: at most 10 blocks and 2,000 characters, Accept within the first 6, the first blocks naming the tools.
    const card = withAction(h, rootTs, 'decision:accept');
    if (!card) throw new Error('no recommendation card');
    const answers = (h.teamFile() as { sessions: { answers: Json }[] }).sessions[0]?.answers ?? {};
    const rec = recommend(flow, answers as Record<string, string | string[]>);
    expect(card.blocks.length).toBeLessThanOrEqual(10);
    expect(visibleChars(card.blocks)).toBeLessThanOrEqual(2000);
    const accept = card.blocks.findIndex((b) => JSON.stringify(b).includes('"action_id":"decision:accept"'));
    expect(accept).toBeGreaterThanOrEqual(0);
    expect(accept).toBeLessThan(6);
    const firsts = rec.tools.filter((t) => t.fit === 'first-choice').map((t) => flow.toolById.get(t.tool)?.name ?? '');
    expect(firsts).toHaveLength(2);
    const top = textOf({ blocks: card.blocks.slice(0, 2) });
    for (const name of firsts) expect(top).toContain(name);
    expect(top).toContain('Extend your Istio');
    expect(top).not.toMatch(/adopt/i);
    expect(textOf(card).match(/"style":"primary"/g)).toHaveLength(1);

    // Details: views.open right after the ack, with every reason; the comparison is pushed, for EKS only.
    const beforeDetails = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, card, 'details:open', BOB));
    await h.idle();
    const opened = h.fake.calls.find((c) => c.seq > beforeDetails && c.method === 'views.open');
    expect(opened?.params.trigger_id).toMatch(/^trigger-/);
    const view = opened?.params.view as Json;
    const pushPage = async (action: string): Promise<string> => {
      const at = h.fake.calls.length;
      await h.interact(viewClickPayload(h, view, action, BOB));
      await h.idle();
      const pushed = h.fake.calls.find((c) => c.seq > at && c.method === 'views.push');
      return JSON.stringify((pushed?.params.view as Json | undefined)?.blocks ?? []);
    };
    const recommended = [rec.primary, ...rec.complements];
    const why = JSON.stringify(view.blocks);
    for (const r of rec.reasons.filter((x) => recommended.includes(x.pattern)))
      expect(why).toContain(r.because.slice(0, 50).replace(/"/g, '\\"'));
    const ruledOut = await pushPage('details:ruled-out');
    for (const r of rec.reasons.filter((x) => !recommended.includes(x.pattern)))
      expect(ruledOut).toContain(r.because.slice(0, 50).replace(/"/g, '\\"'));
    const tools = await pushPage('details:tools');
    for (const t of rec.tools) expect(tools).toContain(flow.toolById.get(t.tool)?.name ?? t.tool);
    const comparison = await pushPage('details:compare');
    expect(comparison).toContain('Amazon VPC Lattice');
    for (const other of ['Cloud Service Mesh (GKE)', 'Istio add-on for AKS', 'OpenShift Service Mesh'])
      expect(comparison).not.toContain(other);
    for (const t of flow.tools.tools.filter((x) => UNUSABLE_STATUSES.includes(x.status)))
      expect(comparison).not.toContain(t.name);

    // Accept: the channel holds at most 2 messages for this decision, none over 800 characters.
    await h.interact(actionPayload(h.fake, card, 'decision:accept', BOB));
    await h.idle();
    const inChannel = channelMessages(CHANNEL);
    expect(inChannel.length).toBeLessThanOrEqual(2);
    for (const m of inChannel) expect(visibleChars(m.blocks)).toBeLessThanOrEqual(800);
    const notice = inChannel.find((m) => m.ts !== rootTs);
    expect(textOf(notice ?? {})).toContain('ADR-0001');
    for (const name of firsts) expect(textOf(notice ?? {})).toContain(name);
    expect(textOf(notice ?? {})).toMatch(/<https:\/\/[^|]+\|thread>/);
    expect(textOf(h.fake.message(CHANNEL, rootTs) ?? {})).toContain('Decided: *ADR-0001*');
    // The decisions channel gets the same short notice, nothing else.
    const logged = channelMessages(DECISIONS);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.blocks).toEqual(notice?.blocks);

    // The decision card names the tools, with the patterns as context.
    const decision = withAction(h, rootTs, 'decision:export-menu');
    if (!decision) throw new Error('no decision card');
    const chosen = /\*Chosen:\* ([^\n]+)/.exec(textOf(decision))?.[1] ?? '';
    for (const name of firsts) expect(chosen).toContain(name);
    expect(textOf(decision)).toContain('Patterns: Service mesh + Multi-cluster without a mesh');

    // The checklist scans: checkboxes (no primary button), the progress, who ticked.
    const checklist = h.fake.thread(CHANNEL, rootTs).find((m) => textOf(m).includes('Readiness checklist: '));
    if (!checklist) throw new Error('no checklist');
    expect(textOf(checklist)).toContain(`Readiness checklist: 0 of ${rec.checklist.length} done`);
    expect(textOf(checklist)).not.toContain('"style":"primary"');
    const [first] = rec.checklist;
    if (!first) throw new Error('empty checklist');
    await h.interact(checklistPayload(h, checklist, checklistKey(first), ALICE));
    await h.idle();
    const ticked = h.fake.message(CHANNEL, checklist.ts);
    expect(textOf(ticked ?? {})).toContain(`Readiness checklist: 1 of ${rec.checklist.length} done`);
    expect(textOf(ticked ?? {})).toContain('Ticked by @u0alice on ');

    // Export: the ADR file goes into the thread.
    const beforeExport = h.fake.calls.length;
    await h.interact(selectPayload(h.fake, decision, 'decision:export-menu', 'upload', ALICE));
    await h.idle();
    expect(h.fake.calls.some((c) => c.seq > beforeExport && c.method === 'files.completeUploadExternal')).toBe(true);

    // compare answers privately, with Share in channel.
    const beforeCompare = h.fake.calls.length;
    const res = await h.command('compare', BOB);
    const reply = (await res.json()) as Json;
    await h.idle();
    expect(reply.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply.blocks)).toContain('"action_id":"compare:share"');
    expect(h.fake.calls.filter((c) => c.seq > beforeCompare && isPost(c) && c.params.channel === CHANNEL)).toEqual([]);

    // Nothing the bot posted in the thread was broadcast, and every message and view kept to Block Kit's limits.
    expect(h.fake.calls.filter((c) => isPost(c) && c.params.reply_broadcast === true)).toEqual([]);
    expect(h.fake.violations).toEqual([]);
  });
});
