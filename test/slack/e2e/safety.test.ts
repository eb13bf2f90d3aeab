import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  answer,
  answerPayload,
  changeAnswer,
  reopenQuestion,
  runInterview,
  SMALL_TEAM,
  startInterview,
  waitForCard,
  waitForQuestion,
} from '../../support/driver.js';
import type { StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  changePayload,
  EVE,
  elementsOf,
  type Harness,
  HOME_TEAM,
  interviewOf,
  isPost,
  postsOfBlock,
  questionMessage,
  sign,
  startHarness,
  textOf,
} from '../../support/harness.js';

/** Updates of a message to a question's choices block (the interview message moving on). */
const updatesTo = (h: Harness, blockId: string) =>
  h.fake.calls.filter((c) => c.method === 'chat.update' && JSON.stringify(c.params.blocks).includes(`"${blockId}"`));

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

describe('an interview begun before the single interview message', () => {
  it('still takes answers on its old question message, which then points at the one interview message', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    // As an older mesh-help left it: its first question in a message of its own, no interview message.
    const old = questionMessage(h.fake, CHANNEL, rootTs, 'clusters') as StoredMessage;
    const raw = h.teamFile() as { sessions: Json[] };
    const first = raw.sessions[0] as Json;
    first.messages = { clusters: old.ts };
    delete first.interviewTs;
    await h.mesh.stop();
    writeFileSync(join(h.dataDir, 'teams', `${HOME_TEAM}.json`), JSON.stringify(raw));
    h = await startHarness({ dataDir: h.dataDir, fake: h.fake });
    await h.idle();

    await answer(h, rootTs, 'clusters', 'one', BOB);
    const next = await waitForQuestion(h, rootTs, 'services');
    // The answer counted; the old message stopped taking answers; one new interview message carries the rest.
    expect(next.ts).not.toBe(old.ts);
    expect(textOf(h.fake.message(CHANNEL, old.ts) ?? {})).toContain('now goes on in one message');
    expect(textOf(h.fake.message(CHANNEL, old.ts) ?? {})).not.toContain('action_id');
    const s = (h.teamFile() as { sessions: Json[] }).sessions[0] as Json & { answers: Json; messages: Json };
    expect(s.answers).toEqual({ clusters: 'one' });
    expect(s.messages).toEqual({});
    expect(s.interviewTs).toBe(next.ts);
    expect(textOf(next)).toContain('Clusters: *One cluster*');
  });
});

describe('concurrent clicks', () => {
  it('a double-click records one answer and shows the next question once', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    const click = answerPayload(h, rootTs, 'clusters', 'several-same-region');
    await Promise.all([h.interact(click), h.interact(click), h.interact(click)]);
    await waitForQuestion(h, rootTs, 'fleet');
    await h.idle();
    // No new message: the one interview message was updated to the next question (a repeat click only redraws it).
    expect(postsOfBlock(h.fake, 'q:fleet')).toHaveLength(0);
    expect(updatesTo(h, 'q:fleet').length).toBeGreaterThanOrEqual(1);
    expect(updatesTo(h, 'q:clusters')).toHaveLength(0);
    const s = (h.teamFile() as { sessions: Json[] }).sessions[0] as Json & { answers: Json; version: number };
    expect(s.answers).toEqual({ clusters: 'several-same-region' });
    expect(s.version).toBe(1);
    expect(h.fake.called('response_url')).toEqual([]);
  });

  it('two people choosing differently at once: one wins, the other is told, the next question is shown once', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    const a = answerPayload(h, rootTs, 'clusters', 'one', ALICE);
    const b = answerPayload(h, rootTs, 'clusters', 'multi-region', BOB);
    await Promise.all([h.interact(a), h.interact(b)]);
    // The winner decides what comes next: services after one cluster, fleet after several.
    await h.fake.waitFor(
      (c) => c.method === 'chat.update' && /"q:(services|fleet)"/.test(JSON.stringify(c.params.blocks)),
    );
    await h.idle();
    const s = (h.teamFile() as { sessions: Json[] }).sessions[0] as Json & { answers: Json; version: number };
    expect(['one', 'multi-region']).toContain(s.answers.clusters);
    const next = s.answers.clusters === 'one' ? 'q:services' : 'q:fleet';
    expect(Object.keys(s.answers)).toEqual(['clusters']);
    expect(s.version).toBe(1);
    expect(updatesTo(h, next)).toHaveLength(1);
    const notes = h.fake.called('response_url');
    expect(notes).toHaveLength(1);
    expect(String(notes[0]?.params.text)).toContain('answered this a moment ago');
    // The shown choice is the stored one.
    const shown = textOf(interviewOf(h.fake, rootTs) ?? {});
    expect(shown).toContain(
      `Clusters: *${s.answers.clusters === 'one' ? 'One cluster' : 'Clusters in several regions'}*`,
    );
  });

  it('changing an earlier answer drops the answers that no longer apply and asks the new ones, in the same message', async () => {
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
    await waitForQuestion(h, rootTs, 'l7_between_clusters');
    const interview = interviewOf(h.fake, rootTs);
    expect(textOf(interview ?? {})).toContain('CNI: *Cilium*');
    // Back to one cluster (Bob changes Alice's answer): fleet, network and cni no longer apply; the rest is asked.
    const calls = h.fake.calls.length;
    await changeAnswer(h, rootTs, 'clusters', 'one', BOB);
    await runInterview(h, rootTs, {
      regulated: 'no',
      existing_mesh: 'none',
      ops: 'none',
      overhead: 'normal',
      other_workloads: ['none'],
    });
    const card = await waitForCard(h, calls);
    await h.idle();
    const shown = textOf(interviewOf(h.fake, rootTs) ?? {});
    expect(shown).toContain('Clusters: *One cluster*');
    for (const gone of ['Fleet size:', 'Pod network:', 'CNI:']) expect(shown).not.toContain(gone);
    const s = (h.teamFile() as { sessions: Json[] }).sessions[0] as Json & { answers: Json; interviewTs: string };
    expect(s.answers.cni).toBeUndefined();
    expect(s.status).toBe('complete');
    expect(card.ts).toBe(s.cardTs);
    // A client that still shows this card's buttons (clicked after the answers changed again).
    const staleAccept = actionPayload(h.fake, card, 'decision:accept', ALICE);
    // And back to several regions: fleet is asked again in the same message, and the card stops taking decisions.
    await changeAnswer(h, rootTs, 'clusters', 'multi-region', ALICE);
    await waitForQuestion(h, rootTs, 'fleet');
    await h.idle();
    expect(interviewOf(h.fake, rootTs)?.ts).toBe(s.interviewTs);
    expect(h.fake.calls.filter((c) => isPost(c) && JSON.stringify(c.params.blocks).includes('"q:'))).toHaveLength(1);
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

  it('"Change an answer" shows the question again to everyone, marked; the same answer keeps it and the card stays', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    const again = await reopenQuestion(h, rootTs, 'services', BOB);
    expect(textOf(again)).toContain('Changing an earlier answer');
    const chosen = elementsOf(again, 'q:services').find((e) => e.style === 'primary');
    expect(chosen?.value).toBe(SMALL_TEAM.services);
    // Keeping the answer closes the question again; nothing is re-recommended.
    const before = h.fake.calls.length;
    await answer(h, rootTs, 'services', String(SMALL_TEAM.services), ALICE);
    expect(questionMessage(h.fake, CHANNEL, rootTs, 'services')).toBeUndefined();
    expect(h.fake.calls.slice(before).some((c) => isPost(c) && c.params.reply_broadcast === true)).toBe(false);
    expect((h.teamFile() as { sessions: Json[] }).sessions[0]?.cardTs).toBe(card.ts);
    // Someone of another organisation may not open a question.
    const refused = h.fake.calls.length;
    await h.interact(changePayload(h.fake, interviewOf(h.fake, rootTs) as StoredMessage, 'services', EVE));
    await h.idle();
    expect(h.fake.calls.slice(refused).filter((c) => c.method === 'chat.update')).toEqual([]);
    expect(String(h.fake.calls.slice(refused).find((c) => c.method === 'response_url')?.params.text)).toContain(
      'another organisation',
    );
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
    expect(updatesTo(h, 'q:regulated')).toHaveLength(1);
    expect(h.fake.calls.slice(calls).some((c) => c.method === 'response_url' || isPost(c))).toBe(false);
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
