import { afterEach, describe, expect, it } from 'vitest';
import { exportFiles } from '../../../src/adr/index.js';
import { getFlow } from '../../../src/engine/load.js';
import { TeamDoc } from '../../../src/store/index.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard, waitForQuestion } from '../../support/driver.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  type Harness,
  HOME_TEAM,
  isPost,
  sign,
  startHarness,
  textOf,
} from '../../support/harness.js';

const flow = getFlow();
type Json = Record<string, unknown>;

let h: Harness;
afterEach(async () => {
  await h?.close();
});

let seq = 0;
/** A person's message in a thread, as Slack sends it (text escaped the way Slack escapes it). */
const reply = (
  threadTs: string,
  user: string,
  text: string,
  ts = `1800000${String(++seq).padStart(3, '0')}.000100`,
) => ({
  type: 'message',
  channel: CHANNEL,
  user,
  text,
  ts,
  thread_ts: threadTs,
  event_ts: ts,
  channel_type: 'channel',
});

/**
 * Delivers an event with a chosen event_id, signed; `retry` adds the headers
 * Slack sends when it delivers the same event again.
 */
function deliver(h: Harness, event: Json, eventId: string, retry?: number): Promise<Response> {
  const body = JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: HOME_TEAM,
    api_app_id: 'A0MESH',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: HOME_TEAM, user_id: 'U0BOT', is_bot: true }],
    event,
  });
  const headers = {
    ...sign(body),
    ...(retry ? { 'X-Slack-Retry-Num': String(retry), 'X-Slack-Retry-Reason': 'http_timeout' } : {}),
  };
  return h.post(body, 'application/json', headers);
}

const doc = (): TeamDoc => TeamDoc.parse(h.teamFile());

/** Polls the team file until `pred` holds (the capture runs after Slack's 200). */
async function until(pred: (d: TeamDoc) => boolean, what: string): Promise<TeamDoc> {
  const start = Date.now();
  for (;;) {
    const d = doc();
    if (pred(d)) return d;
    if (Date.now() - start > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const allReplies = (d: TeamDoc) => [...d.sessions.flatMap((s) => s.replies), ...d.decisions.flatMap((x) => x.replies)];
const count = (text: string, part: string) => text.split(part).length - 1;

describe('the interview thread as a discussion', () => {
  it('keeps replies, an edit, a delete and a retried delivery in the exported ADR exactly as they should be', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);

    // Before the decision: three people reply; Slack sends "&", "<" and ">" as entities.
    const r1 = reply(rootTs, BOB.id, 'Cost &amp; latency matter more than &lt;b&gt;features&lt;/b&gt; <!channel>');
    const r2 = reply(rootTs, ALICE.id, 'first take');
    const r3 = reply(rootTs, BOB.id, 'to be deleted');
    for (const [i, r] of [r1, r2, r3].entries()) expect((await deliver(h, r, `EvR${i}`)).status).toBe(200);
    await until((d) => allReplies(d).length === 3, 'three replies');

    // Slack thinks the first delivery of r2's edit failed and sends it again after a newer edit.
    const edit = (text: string, editedTs: string) => ({
      type: 'message',
      subtype: 'message_changed',
      channel: CHANNEL,
      ts: editedTs,
      event_ts: editedTs,
      message: { ...reply(rootTs, ALICE.id, text, r2.ts), edited: { user: ALICE.id, ts: editedTs } },
      previous_message: r2,
    });
    await deliver(h, edit('second take', '1800000900.000001'), 'EvEdit1');
    await until((d) => allReplies(d).some((r) => r.text === 'second take'), 'the first edit');
    await deliver(h, edit('third take', '1800000901.000001'), 'EvEdit2');
    await until((d) => allReplies(d).some((r) => r.text === 'third take'), 'the second edit');
    expect((await deliver(h, edit('second take', '1800000900.000001'), 'EvEdit1', 1)).status).toBe(200);
    // Retried: the reply itself too.
    expect((await deliver(h, r1, 'EvR0', 1)).status).toBe(200);

    await deliver(
      h,
      {
        type: 'message',
        subtype: 'message_deleted',
        channel: CHANNEL,
        ts: '1800000902.000001',
        deleted_ts: r3.ts,
        hidden: true,
        previous_message: r3,
      },
      'EvDel',
    );
    await until((d) => allReplies(d).some((r) => r.ts === r3.ts && r.deleted), 'the deletion');

    // Ignored: this bot's own message, another bot, a thread the bot did not start, and the root's own edits.
    await deliver(h, { ...reply(rootTs, 'U0BOT', 'bot says hi'), bot_id: 'B0BOT' }, 'EvBot');
    await deliver(
      h,
      { ...reply(rootTs, 'U0HOOK', 'other bot says hi'), subtype: 'bot_message', bot_id: 'B0OTHER' },
      'EvBot2',
    );
    await deliver(h, reply('1799999999.000001', BOB.id, 'another thread entirely'), 'EvOther');
    await deliver(
      h,
      {
        type: 'message',
        subtype: 'message_changed',
        channel: CHANNEL,
        ts: '1800000903.000001',
        message: {
          type: 'message',
          user: 'U0BOT',
          bot_id: 'B0BOT',
          text: 'root edited',
          ts: rootTs,
          thread_ts: rootTs,
        },
      },
      'EvRoot',
    );

    // Accept; a reply after the decision lands on the record, next to the ones carried over from the session.
    await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
    await until((d) => d.decisions.length === 1, 'the decision');
    const late = reply(rootTs, 'U0CAROL', 'late: agreed, revisit when we add a region');
    await deliver(h, late, 'EvLate');
    const d = await until((x) => x.decisions[0]?.replies.some((r) => r.ts === late.ts) ?? false, 'the late reply');
    await h.idle();

    const final = doc();
    const decision = final.decisions[0];
    if (!decision) throw new Error('no decision');
    expect(d.sessions[0]?.replies).toEqual([]);
    expect(decision.replies.map((r) => [r.user, r.text, r.deleted])).toEqual([
      [BOB.id, 'Cost & latency matter more than <b>features</b> <!channel>', false],
      [ALICE.id, 'third take', false],
      [BOB.id, '', true],
      ['U0CAROL', 'late: agreed, revisit when we add a region', false],
    ]);
    expect(decision.replies[0]?.permalink).toBe(`https://acme.example/archives/${CHANNEL}/p${r1.ts.replace('.', '')}`);
    expect(decision.replies[0]?.at).toBe(new Date(Number(r1.ts) * 1000).toISOString());
    expect(final.seenEvents).toEqual(expect.arrayContaining(['EvR0', 'EvEdit1', 'EvEdit2', 'EvDel', 'EvLate']));

    const adr =
      exportFiles(flow, HOME_TEAM, final.decisions).find((f) => f.fileName.startsWith('0001-'))?.content ?? '';
    const info = adr.slice(adr.indexOf('## More Information'));
    expect(count(info, 'Cost &amp; latency matter more than &lt;b&gt;features&lt;/b&gt; &lt;!channel&gt;')).toBe(1);
    expect(count(info, 'third take')).toBe(1);
    expect(info).not.toContain('second take');
    expect(info).not.toContain('first take');
    expect(info).not.toContain('to be deleted');
    expect(count(info, 'late: agreed')).toBe(1);
    expect(info).toContain(`(https://acme.example/archives/${CHANNEL}/p${r1.ts.replace('.', '')})`);
    for (const ignored of ['bot says hi', 'other bot says hi', 'another thread entirely', 'root edited']) {
      expect(adr).not.toContain(ignored);
      expect(JSON.stringify(final)).not.toContain(ignored);
    }
    // Four captured replies (one deleted) and a permalink looked up for each reply, the retried one not again.
    expect(
      h.fake.called('chat.getPermalink').filter((c) => String(c.params.message_ts).startsWith('1800000')),
    ).toHaveLength(4);
    expect(h.fake.violations).toEqual([]);
  });

  it('answers @mesh-help summary in the thread with answers, people, open concerns and what is unanswered, once per event', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    await waitForQuestion(h, rootTs, 'clusters');
    await runInterview(h, rootTs, { clusters: 'one', services: 'under-10' });
    await deliver(h, reply(rootTs, BOB.id, 'We also run a &lt;legacy&gt; VM fleet'), 'EvS1');
    await until((d) => allReplies(d).length === 1, 'the reply');

    const mention = {
      type: 'app_mention',
      channel: CHANNEL,
      user: BOB.id,
      text: '<@U0BOT> summary',
      ts: '1800001000.000100',
      thread_ts: rootTs,
      event_ts: '1800001000.000100',
    };
    const before = h.fake.calls.length;
    await deliver(h, mention, 'EvMention');
    const posted = await h.fake.waitFor(
      (c) => c.seq > before && isPost(c) && JSON.stringify(c.params.blocks).includes('Summary'),
      5000,
      'the summary',
    );
    // Slack retries the mention: it is not answered twice.
    await deliver(h, mention, 'EvMention', 1);
    await h.idle();
    const summaries = h.fake.calls.filter(
      (c) => isPost(c) && JSON.stringify(c.params.blocks ?? []).includes('Summary:'),
    );
    expect(summaries).toHaveLength(1);
    expect(posted.params.thread_ts).toBe(rootTs);
    const text = textOf(posted.params as Json);
    expect(text).toContain('Answers so far');
    expect(text).toContain('How many Kubernetes clusters run this system?');
    expect(text).toContain(flow.questionById.get('clusters')?.options.find((o) => o.id === 'one')?.label ?? 'x');
    expect(text).toContain('Still unanswered');
    expect(text).toContain(flow.questionById.get('pains')?.prompt ?? 'x');
    expect(text).toContain('Who took part');
    expect(text).toContain(`<@${ALICE.id}>`);
    expect(text).toContain(`<@${BOB.id}>`);
    expect(text).toContain('Open concerns');
    // The mention itself is a request to the bot, not a reply of the discussion.
    expect(allReplies(doc())).toHaveLength(1);

    // compare and help work in the thread too; a mention elsewhere gets a private pointer.
    await deliver(
      h,
      { ...mention, text: '<@U0BOT> compare service-mesh cluster-mesh', ts: '1800001001.000100' },
      'EvCmp',
    );
    const compare = await h.fake.waitFor(
      (c) => isPost(c) && c.params.thread_ts === rootTs && String(c.params.text).startsWith('Comparing'),
      5000,
      'the comparison',
    );
    expect(textOf(compare.params as Json)).toContain(flow.patternById.get('cluster-mesh')?.name ?? 'x');
    await deliver(h, { ...mention, text: '<@U0BOT> help', ts: '1800001002.000100' }, 'EvHelp');
    await h.fake.waitFor(
      (c) => isPost(c) && c.params.thread_ts === rootTs && JSON.stringify(c.params.blocks).includes('summary'),
      5000,
      'the help',
    );
    const { thread_ts: _none, ...outside } = mention;
    await deliver(h, { ...outside, ts: '1800001003.000100' }, 'EvOutside');
    const pointer = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral', 5000, 'the pointer');
    expect(String(pointer.params.text)).toContain('/mesh-help start');
    expect(pointer.params.user).toBe(BOB.id);
    expect(h.fake.violations).toEqual([]);
  });
});
