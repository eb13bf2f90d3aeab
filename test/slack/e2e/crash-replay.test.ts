import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TeamDoc } from '../../../src/store/index.js';
import { type BotProcess, bodies, startBotProcess } from '../../support/bot-process.js';
import { BOT_USER, type Call, FakeSlack, HOME_TEAM } from '../../support/fake-slack.js';
import { ALICE, CHANNEL, clickPayload, isPost, questionMessage } from '../../support/harness.js';

/**
 * The instants the burst test of crash.test.ts hits only by chance, one by
 * one: the fake Web API takes a post (or drops it) and never answers, the
 * real bot is killed with SIGKILL right then, and started again. The replayed
 * request must finish what was cut off and post nothing twice.
 */
type Json = Record<string, unknown>;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const blocksHave = (c: Call, text: string) => JSON.stringify(c.params.blocks ?? []).includes(text);
const isRoot = (channel: string) => (p: Json) => p.channel === channel && p.thread_ts === undefined;
const isFirstQuestion = (p: Json) =>
  p.thread_ts !== undefined && JSON.stringify(p.blocks ?? []).includes('"q:clusters"');

async function setUp() {
  const fake = await new FakeSlack({ deferChecks: true }).start();
  cleanups.push(() => fake.stop());
  const dataDir = mkdtempSync(join(tmpdir(), 'mesh-replay-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const box: { bot: BotProcess } = { bot: await startBotProcess(fake, dataDir) };
  cleanups.push(() => box.bot.kill('SIGKILL'));
  const doc = () => TeamDoc.parse(JSON.parse(readFileSync(join(dataDir, 'teams', `${HOME_TEAM}.json`), 'utf8')));
  /** SIGKILL once `held` (the cut-off call) came in, then start again: the journal replays the request. */
  const crashAt = async (held: Promise<void>) => {
    await held;
    await box.bot.kill('SIGKILL');
    box.bot = await startBotProcess(fake, dataDir, { LOG_LEVEL: 'warn' });
  };
  const posts = (pred: (c: Call) => boolean) => fake.calls.filter((c) => isPost(c) && pred(c));
  return { fake, box, doc, crashAt, posts };
}

describe('a request cut off by SIGKILL in the middle of its Slack post (the real process)', () => {
  for (const apply of [true, false]) {
    const when = apply ? 'after Slack took the root message' : 'before the root message reached Slack';
    it(`/mesh-help start killed ${when}: one interview, one root, one first question after the restart`, async () => {
      const { fake, box, doc, crashAt, posts } = await setUp();
      const channel = apply ? 'C0CUTAFTER' : 'C0CUTBEFORE';
      const held = fake.holdNextMatching('chat.postMessage', isRoot(channel), apply);
      const res = await box.bot.post(...bodies.command(fake, 'start Cut off', ALICE, channel));
      expect(res.status).toBe(200);
      await crashAt(held);
      await fake.waitFor(
        (c) => isPost(c) && c.params.channel === channel && isFirstQuestion(c.params),
        15_000,
        'the first question after the restart',
      );
      const sessions = doc().sessions.filter((s) => s.channel === channel);
      expect(sessions).toHaveLength(1);
      const roots = posts((c) => isRoot(channel)(c.params) && blocksHave(c, 'Cut off'));
      // The held call is in fake.calls too: when it took effect, the replay found it instead of posting again.
      expect(roots).toHaveLength(apply ? 1 : 2);
      expect(fake.thread(channel, sessions[0]?.threadTs ?? '').length).toBeGreaterThan(0);
      expect(posts((c) => c.params.channel === channel && isFirstQuestion(c.params))).toHaveLength(1);
      // The interview is keyed by the root message that is in the channel.
      expect(fake.message(channel, sessions[0]?.threadTs ?? '')).toBeDefined();
    }, 40_000);
  }

  it('/mesh-help start killed after Slack took the first question: the question is not posted again', async () => {
    const { fake, box, doc, crashAt, posts } = await setUp();
    const channel = 'C0CUTFIRST';
    const held = fake.holdNextMatching('chat.postMessage', (p) => p.channel === channel && isFirstQuestion(p), true);
    expect((await box.bot.post(...bodies.command(fake, 'start First cut', ALICE, channel))).status).toBe(200);
    await crashAt(held);
    // The replay records the question it finds in the thread.
    const start = Date.now();
    for (;;) {
      const q = doc().sessions.find((s) => s.channel === channel)?.interviewTs;
      if (q && !q.startsWith('pending:')) break;
      if (Date.now() - start > 15_000) throw new Error('the first question was never recorded after the restart');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(posts((c) => c.params.channel === channel && isFirstQuestion(c.params))).toHaveLength(1);
    expect(posts((c) => isRoot(channel)(c.params))).toHaveLength(1);
    expect(doc().sessions.filter((s) => s.channel === channel)).toHaveLength(1);
  }, 40_000);

  for (const apply of [true, false]) {
    const when = apply ? 'after Slack took the answer' : 'before the answer reached Slack';
    it(`@mesh-help summary killed ${when}: answered exactly once after the restart`, async () => {
      const { fake, box, doc, crashAt, posts } = await setUp();
      expect((await box.bot.post(...bodies.command(fake, 'start Mentioned', ALICE, CHANNEL))).status).toBe(200);
      const first = await fake.waitFor((c) => isPost(c) && isFirstQuestion(c.params), 10_000, 'the first question');
      const threadTs = String(first.params.thread_ts);
      const eventId = `EvMention${apply ? 'After' : 'Before'}`;
      const answers = () => posts((c) => JSON.stringify(c.params.metadata ?? {}).includes(eventId));
      const held = fake.holdNextMatching(
        'chat.postMessage',
        (p) => JSON.stringify(p.metadata ?? {}).includes(eventId),
        apply,
      );
      const event = {
        type: 'app_mention',
        channel: CHANNEL,
        user: ALICE.id,
        text: `<@${BOT_USER}> summary`,
        ts: '1800000001.000001',
        thread_ts: threadTs,
      };
      expect((await box.bot.post(...bodies.event(event, eventId, HOME_TEAM))).status).toBe(200);
      await crashAt(held);
      if (apply) {
        // Nothing new to post: the replay reads the thread, finds the answer and marks it posted.
        const start = Date.now();
        while (!doc().seenEvents.includes(`posted:${eventId}`)) {
          if (Date.now() - start > 15_000) throw new Error('the replay never marked the answer posted');
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(fake.calls.some((c) => c.method === 'conversations.replies' && c.params.ts === threadTs)).toBe(true);
        expect(answers()).toHaveLength(1);
      } else {
        await fake.waitFor(() => answers().length === 2, 15_000, 'the answer posted by the replay');
        // Two calls: the one dropped by the crash (never in the thread) and the replay's.
        expect(
          fake.thread(CHANNEL, threadTs).filter((m) => JSON.stringify(m.metadata ?? {}).includes(eventId)),
        ).toHaveLength(1);
      }
      expect(answers().every((c) => c.params.thread_ts === threadTs)).toBe(true);
    }, 40_000);
  }

  it('an answer whose next question was cut off is shown by the replay, with no second click', async () => {
    const { fake, box, crashAt } = await setUp();
    expect((await box.bot.post(...bodies.command(fake, 'start Clicked', ALICE, CHANNEL))).status).toBe(200);
    const first = await fake.waitFor((c) => isPost(c) && isFirstQuestion(c.params), 10_000, 'the first question');
    const threadTs = String(first.params.thread_ts);
    const question = questionMessage(fake, CHANNEL, threadTs, 'clusters');
    if (!question) throw new Error('no first question');
    // The interview message is updated in place to the next question: that update is cut off.
    const isNext = (p: Json) => p.ts === question.ts && JSON.stringify(p.blocks ?? []).includes('"q:services"');
    const isUpdate = (c: { method: string }) => c.method === 'chat.update';
    const held = fake.holdNextMatching('chat.update', isNext, false);
    const heldAt = () => fake.calls.find((c) => isUpdate(c) && isNext(c.params))?.seq ?? Number.POSITIVE_INFINITY;
    const click = await box.bot.post(...bodies.interaction(clickPayload(fake, question, 'q:clusters', 'one', ALICE)));
    expect(click.status).toBe(200);
    await crashAt(held);
    await fake.waitFor(
      (c) => isUpdate(c) && isNext(c.params) && c.seq > heldAt(),
      15_000,
      'the next question shown by the replayed click',
    );
    await fake.settle(300);
    expect(
      fake.thread(CHANNEL, threadTs).filter((m) => JSON.stringify(m.blocks).includes('"q:services"')),
    ).toHaveLength(1);
    // Still one interview message: nothing was posted in its place.
    expect(fake.calls.filter((c) => isPost(c) && JSON.stringify(c.params.blocks ?? []).includes('"q:'))).toHaveLength(
      1,
    );
  }, 40_000);
});
