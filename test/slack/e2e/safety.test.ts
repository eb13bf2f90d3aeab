import { afterEach, describe, expect, it } from 'vitest';
import {
  answerPayload,
  runInterview,
  SMALL_TEAM,
  startInterview,
  waitForCard,
  waitForQuestion,
} from '../../support/driver.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  EVE,
  type Harness,
  isPost,
  postsOfBlock,
  questionMessage,
  sign,
  startHarness,
  textOf,
} from '../../support/harness.js';

type Json = Record<string, unknown>;
let h: Harness;
afterEach(async () => {
  await h?.close();
});

const startBody = (text: string) =>
  new URLSearchParams({
    team_id: 'T0HOME',
    channel_id: CHANNEL,
    user_id: ALICE.id,
    command: '/mesh-help',
    text,
    response_url: 'http://127.0.0.1:9/never',
    trigger_id: 'trigger-1',
  }).toString();

describe('request signatures', () => {
  it('a forged signature gets 401 and nothing is stored or posted', async () => {
    h = await startHarness();
    const body = startBody('start Forged');
    const res = await h.post(body, 'application/x-www-form-urlencoded', sign(body, 'not-the-signing-secret'));
    expect(res.status).toBe(401);
    await h.idle();
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(h.teamFile()).toBeUndefined();
  });

  it('a correctly signed request older than five minutes is a replay: 401, no side effect', async () => {
    h = await startHarness();
    const body = startBody('start Replayed');
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await h.post(body, 'application/x-www-form-urlencoded', sign(body, undefined, stale));
    expect(res.status).toBe(401);
    await h.idle();
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(h.teamFile()).toBeUndefined();
  });

  it('a body changed after signing gets 401', async () => {
    h = await startHarness();
    const signed = sign(startBody('start Honest'));
    const res = await h.post(startBody('start Tampered'), 'application/x-www-form-urlencoded', signed);
    expect(res.status).toBe(401);
    await h.idle();
    expect(h.fake.called('chat.postMessage')).toEqual([]);
  });

  it('GET /healthz answers 200 without a signature', async () => {
    h = await startHarness();
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe('who may act', () => {
  it('a Slack Connect user from another organisation may not answer: private refusal, nothing changes', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    const before = h.teamFileText();
    const callsBefore = h.fake.calls.length;
    await h.interact(answerPayload(h, rootTs, 'clusters', 'multi-region', EVE));
    const refusal = await h.fake.waitFor((c) => c.method === 'response_url' && c.seq > callsBefore);
    expect(refusal.params.response_type).toBe('ephemeral');
    expect(String(refusal.params.text)).toContain('another organisation');
    await h.idle();
    expect(h.teamFileText()).toBe(before);
    expect(h.fake.calls.slice(callsBefore).map((c) => c.method)).toEqual(['response_url']);
    expect(h.teamFile('T0OTHER')).toBeUndefined();
  });

  it('a Slack Connect user may not accept or override the recommendation', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    const before = h.teamFileText();
    const callsBefore = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, card, 'decision:accept', EVE));
    await h.interact(actionPayload(h.fake, card, 'decision:override', EVE));
    await h.idle();
    const after = h.fake.calls.slice(callsBefore);
    expect(after.map((c) => c.method)).toEqual(['response_url', 'response_url']);
    expect(after.every((c) => String(c.params.text).includes('another organisation'))).toBe(true);
    expect(h.teamFileText()).toBe(before);
  });

  it('a click whose message is not the stored question message changes nothing', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    const payload = answerPayload(h, rootTs, 'clusters', 'one') as Json & { container: Json; message: Json };
    // Same channel and thread, but a message ts the session never posted for this question.
    payload.container = { ...payload.container, message_ts: '1699999999.000001' };
    payload.message = { ...payload.message, ts: '1699999999.000001' };
    const before = h.teamFileText();
    await h.interact(payload);
    await h.idle();
    expect(h.teamFileText()).toBe(before);
    expect(String(h.fake.called('response_url').at(-1)?.params.text)).toContain('out of date');
  });
});

describe('user text is escaped', () => {
  it('a title cannot ping the channel or forge a mention or link', async () => {
    h = await startHarness();
    await startInterview(h, '<!channel> & <@U0BOSS> <https://evil.example|click>');
    const root = h.fake.called('chat.postMessage')[0];
    const sent = JSON.stringify(root?.params);
    expect(sent).not.toContain('<!channel>');
    expect(sent).not.toContain('<@U0BOSS>');
    expect(sent).not.toContain('<https://evil');
    expect(sent).toContain('&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;');
    expect(h.fake.calls.every((c) => c.params.link_names === undefined && c.params.parse === undefined)).toBe(true);
  });
});

describe('concurrent clicks', () => {
  it('a double-click records one answer and posts the next question once', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    const click = answerPayload(h, rootTs, 'clusters', 'several-same-region');
    await Promise.all([h.interact(click), h.interact(click), h.interact(click)]);
    await waitForQuestion(h, rootTs, 'fleet');
    await h.idle();
    expect(postsOfBlock(h.fake, 'q:fleet')).toHaveLength(1);
    const s = (h.teamFile() as { sessions: Json[] }).sessions[0] as Json & { answers: Json; version: number };
    expect(s.answers).toEqual({ clusters: 'several-same-region' });
    expect(s.version).toBe(1);
    expect(h.fake.called('response_url')).toEqual([]);
  });

  it('two people choosing differently at once: one wins, the other is told, the next question is posted once', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    const a = answerPayload(h, rootTs, 'clusters', 'one', ALICE);
    const b = answerPayload(h, rootTs, 'clusters', 'multi-region', BOB);
    await Promise.all([h.interact(a), h.interact(b)]);
    // The winner decides what comes next: services after one cluster, fleet after several.
    await h.fake.waitFor((c) => isPost(c) && /"q:(services|fleet)"/.test(JSON.stringify(c.params.blocks)));
    await h.idle();
    const s = (h.teamFile() as { sessions: Json[] }).sessions[0] as Json & { answers: Json; version: number };
    expect(['one', 'multi-region']).toContain(s.answers.clusters);
    const next = s.answers.clusters === 'one' ? 'q:services' : 'q:fleet';
    expect(Object.keys(s.answers)).toEqual(['clusters']);
    expect(s.version).toBe(1);
    expect(postsOfBlock(h.fake, next)).toHaveLength(1);
    const notes = h.fake.called('response_url');
    expect(notes).toHaveLength(1);
    expect(String(notes[0]?.params.text)).toContain('answered this a moment ago');
    // The shown choice is the stored one.
    const shown = textOf(questionMessage(h.fake, CHANNEL, rootTs, 'clusters') ?? {});
    expect(shown).toContain(s.answers.clusters === 'one' ? 'One cluster' : 'Clusters in several regions');
  });

  it('changing an earlier answer retires questions that no longer apply and asks new ones', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, {
      clusters: 'multi-region',
      fleet: '2-5',
      services: 'under-10',
      pains: ['cross-cluster-calls'],
      network: 'flat',
      cni: 'cilium',
    });
    const multiOnly = ['fleet', 'network', 'cni'].map((id) => questionMessage(h.fake, CHANNEL, rootTs, id));
    const cni = multiOnly[2];
    expect(cni).toBeDefined();
    const l7 = await waitForQuestion(h, rootTs, 'l7_between_clusters');
    // Back to one cluster: fleet, network, cni (answered) and l7 (waiting) no longer apply; the rest is asked.
    const calls = h.fake.calls.length;
    await h.interact(answerPayload(h, rootTs, 'clusters', 'one', BOB));
    await runInterview(h, rootTs, {
      regulated: 'no',
      existing_mesh: 'none',
      ops: 'none',
      overhead: 'normal',
      other_workloads: ['none'],
    });
    const card = await waitForCard(h, calls);
    await h.idle();
    const retired = h.fake.calls
      .slice(calls)
      .filter((c) => c.method === 'chat.update' && JSON.stringify(c.params.blocks).includes('No longer asked'));
    expect(retired.map((c) => c.params.ts).sort()).toEqual([...multiOnly.map((m) => m?.ts), l7.ts].sort());
    const s = (h.teamFile() as { sessions: Json[] }).sessions[0] as Json & { answers: Json; messages: Json };
    expect(s.answers.cni).toBeUndefined();
    expect(s.messages.cni).toBeUndefined();
    expect(s.status).toBe('complete');
    expect(card.ts).toBe(s.cardTs);
    // A client that still shows this card's buttons (clicked after the answers changed again).
    const staleAccept = actionPayload(h.fake, card, 'decision:accept', ALICE);
    // And back to several regions: fleet is asked again in a new message, and the card stops taking decisions.
    const calls2 = h.fake.calls.length;
    await h.interact(answerPayload(h, rootTs, 'clusters', 'multi-region', ALICE));
    await h.fake.waitFor((c) => c.seq > calls2 && isPost(c) && JSON.stringify(c.params.blocks).includes('"q:fleet"'));
    await h.idle();
    expect(postsOfBlock(h.fake, 'q:fleet')).toHaveLength(2);
    expect(textOf(h.fake.message(CHANNEL, card.ts) ?? {})).toContain('An answer changed');
    const refused = h.fake.calls.length;
    await h.interact(staleAccept);
    await h.idle();
    expect(String(h.fake.calls.slice(refused).find((c) => c.method === 'response_url')?.params.text)).toMatch(
      /not finished|replaced/,
    );
    expect((h.teamFile() as { decisions: Json[] }).decisions).toEqual([]);
    expect(h.fake.violations).toEqual([]);
  });
});

describe('restart', () => {
  it('a restart in the middle of an interview loses nothing: the next click continues it', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, { clusters: 'one', services: '10-49' });
    await waitForQuestion(h, rootTs, 'pains');
    h = await h.restart();
    const calls = h.fake.calls.length;
    await h.interact(answerPayload(h, rootTs, 'pains', ['flaky-calls', 'tracing'], BOB));
    await waitForQuestion(h, rootTs, 'regulated');
    await h.idle();
    const s = (h.teamFile() as { sessions: Json[] }).sessions[0] as Json & { answers: Json };
    expect(s.answers).toEqual({ clusters: 'one', services: '10-49', pains: ['flaky-calls', 'tracing'] });
    expect(postsOfBlock(h.fake, 'q:regulated')).toHaveLength(1);
    expect(h.fake.calls.slice(calls).some((c) => c.method === 'response_url')).toBe(false);
    await runInterview(h, rootTs, {
      regulated: 'no',
      existing_mesh: 'none',
      platform: 'eks',
      ops: 'part-time',
      overhead: 'normal',
      other_workloads: ['none'],
    });
    await waitForCard(h);
    expect(h.fake.violations).toEqual([]);
  });
});
