import { afterEach, describe, expect, it } from 'vitest';
import { runInterview, SMALL_TEAM, waitForCard } from '../../support/driver.js';
import type { Call } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  type Harness,
  isPost,
  type Person,
  startHarness,
  textOf,
} from '../../support/harness.js';

type Json = Record<string, unknown>;
let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** The message shortcut as Slack sends it, on message `ts` (in thread `threadTs`) of `channel`. */
function shortcut(ts: string, threadTs: string | undefined, who: Person = ALICE, channel = CHANNEL): Json {
  return {
    type: 'message_action',
    callback_id: 'interview:from_thread',
    trigger_id: `trigger-${Date.now()}`,
    message_ts: ts,
    response_url: h.fake.responseUrl(),
    message: { type: 'message', user: BOB.id, ts, ...(threadTs ? { thread_ts: threadTs } : {}), text: 'x' },
    user: { id: who.id, name: who.id.toLowerCase(), username: who.id.toLowerCase(), team_id: who.team },
    channel: { id: channel, name: 'platform' },
    team: { id: who.team, domain: 'acme' },
    token: 'deprecated-verification-token',
    action_ts: `${Date.now() / 1000}`,
    api_app_id: 'A0MESH',
  };
}

const session = () => ((h.teamFile()?.sessions ?? []) as Json[])[0] ?? {};

describe('message shortcut "Start a mesh decision" (real app, signed requests)', () => {
  it('runs the interview in that thread with what people said kept as discussion, through to the record', async () => {
    h = await startHarness();
    const root = h.fake.personSays(CHANNEL, ALICE.id, 'Should payments &amp; search share a mesh? <@U0BOB>');
    const reply = h.fake.personSays(CHANNEL, BOB.id, 'We run two clusters in eu-west', root.ts);
    h.fake.personSays(CHANNEL, ALICE.id, 'and mTLS is asked for by audit', root.ts);
    const before = h.fake.calls.length;
    const res = await h.interact(shortcut(reply.ts, root.ts, ALICE));
    expect(res.status).toBe(200);
    const intro = await h.fake.waitFor(
      (c: Call) => c.seq > before && isPost(c) && c.params.thread_ts === root.ts,
      5000,
      'the opening message in the thread',
    );
    await h.fake.waitFor(
      (c: Call) => c.seq > intro.seq && isPost(c) && JSON.stringify(c.params.blocks).includes('"q:clusters"'),
      5000,
      'the first question',
    );
    await h.idle();
    expect(textOf(intro.params)).toContain('Should payments &amp; search share a mesh?');
    const s = session();
    expect(s).toMatchObject({ channel: CHANNEL, threadTs: root.ts, title: 'Should payments & search share a mesh?' });
    // The bot's opening message is a reply in the people's thread, and the session knows it as its root.
    expect(h.fake.message(CHANNEL, String(s.rootTs))?.thread_ts).toBe(root.ts);
    expect((s.replies as Json[]).map((r) => [r.user, r.text])).toEqual([
      [ALICE.id, 'Should payments & search share a mesh? <@U0BOB>'],
      [BOB.id, 'We run two clusters in eu-west'],
      [ALICE.id, 'and mTLS is asked for by audit'],
    ]);

    await runInterview(h, root.ts, SMALL_TEAM);
    const card = await waitForCard(h, before);
    expect(card.thread_ts).toBe(root.ts);
    const beforeAccept = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
    await h.fake.waitFor((c) => c.seq > beforeAccept && JSON.stringify(c.params.blocks ?? []).includes('"adr:1"'));
    await h.idle();
    const decision = ((h.teamFile()?.decisions ?? []) as Json[])[0] ?? {};
    expect(decision.status).toBe('accepted');
    expect((decision.replies as Json[]).map((r) => r.text)).toContain('and mTLS is asked for by audit');
    // The status line lives on the bot's own opening message; the person's message is never edited.
    const edits = h.fake.calls.filter((c) => c.method === 'chat.update').map((c) => c.params.ts);
    expect(edits).toContain(s.rootTs);
    expect(edits).not.toContain(root.ts);
    expect(textOf(h.fake.message(CHANNEL, String(s.rootTs)) ?? {})).toContain('Decided');
    expect(h.fake.violations).toEqual([]);

    // The same thread twice: refused privately, nothing new started.
    const again = h.fake.calls.length;
    await h.interact(shortcut(root.ts, undefined, BOB));
    const note = await h.fake.waitFor((c) => c.seq > again && c.method === 'response_url');
    expect(String(note.params.text)).toContain('An interview already runs in this thread');
    expect(((h.teamFile()?.sessions ?? []) as Json[]).length).toBe(1);
  });

  it('a thread the bot cannot read, or a direct message, is answered privately and starts nothing', async () => {
    h = await startHarness();
    const msg = h.fake.personSays(CHANNEL, ALICE.id, 'Do we need Istio?');
    h.fake.failNext('conversations.replies', 'not_in_channel');
    await h.interact(shortcut(msg.ts, undefined));
    const note = await h.fake.waitFor((c) => c.method === 'response_url');
    expect(String(note.params.text)).toContain('/invite @mesh-help');

    const before = h.fake.calls.length;
    await h.interact(shortcut(msg.ts, undefined, ALICE, 'D0DIRECT'));
    const dm = await h.fake.waitFor((c) => c.seq > before && c.method === 'response_url');
    expect(String(dm.params.text)).toContain('Interviews run in channels');
    await h.idle();
    expect(h.teamFile()).toBeUndefined();
    expect(h.fake.called('chat.postMessage')).toEqual([]);
  });
});
