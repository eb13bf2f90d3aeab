import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Session, TeamDoc } from '../../../src/store/index.js';
import { FileJournal } from '../../../src/store/journal.js';
import { type BotProcess, bodies, startBotProcess } from '../../support/bot-process.js';
import { BOT_USER, FakeSlack, HOME_TEAM } from '../../support/fake-slack.js';
import { ALICE, CHANNEL, clickPayload, isPost, questionMessage } from '../../support/harness.js';
import { readTeamFile } from '../../support/team-file.js';

/**
 * The Done-when crash test of durable intake: the real bot process is killed
 * with SIGKILL at a random point of a burst of 500 mixed requests (answers,
 * thread replies, edits, `/mesh-help start` commands and `@mesh-help summary`
 * mentions), five rounds, and started again each time. Every request that got
 * its 200 must have its effect after the restart, and no effect may happen
 * twice: one root message and one first question per start, one answer per
 * mention.
 */
const ROUNDS = 5;
const BURST = 500;
const INTERVIEWS = 10;
const SETUP_REPLIES = 100;
const SENDERS = 16;
/** Starts and mentions in each burst. */
const STARTS = 10;
const MENTIONS = 20;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Request = {
  body: readonly [string, string];
  /** What must be true of the team's data once this request is acknowledged. */
  effect: (doc: TeamDoc) => boolean;
  what: string;
};

const sessionOf = (doc: TeamDoc, threadTs: string): Session | undefined =>
  doc.sessions.find((s) => s.threadTs === threadTs);
const repliesOf = (doc: TeamDoc, threadTs: string) => sessionOf(doc, threadTs)?.replies ?? [];

describe('SIGKILL during a burst of requests (the real process)', () => {
  it('keeps the effect of every acknowledged request and applies none twice, over five kill-and-restart rounds', async () => {
    const fake = await new FakeSlack({ deferChecks: true }).start();
    cleanups.push(() => fake.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'mesh-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let bot: BotProcess = await startBotProcess(fake, dataDir);
    cleanups.push(() => bot.kill('SIGKILL'));
    const doc = () => TeamDoc.parse(readTeamFile(dataDir, HOME_TEAM));

    const postsIn = (channel: string, pred: (c: (typeof fake.calls)[number]) => boolean) =>
      fake.calls.filter((c) => isPost(c) && c.params.channel === channel && pred(c));
    const mentionAnswers = (eventId: string) =>
      fake.calls.filter((c) => isPost(c) && JSON.stringify(c.params.metadata ?? {}).includes(`"event_id":"${eventId}"`))
        .length;
    /** Each round's starts go to a channel of their own: one start per title, its thread found by title. */
    const burstChannel = (round: number) => `C0BURST${round}`;
    const rootsOf = (channel: string, title: string) =>
      postsIn(
        channel,
        (c) => c.params.thread_ts === undefined && JSON.stringify(c.params.blocks ?? []).includes(title),
      );
    const start = (round: number, i: number): Request => {
      const title = `Burst ${round} start ${i}`;
      return {
        body: bodies.command(fake, `start ${title}`, ALICE, burstChannel(round)),
        // Root posted and recorded, interview message (with the first question) posted and recorded.
        effect: (d) => {
          const s = d.sessions.find((x) => x.title === title);
          const q = s?.interviewTs;
          return Boolean(s?.threadTs && !s.threadTs.startsWith('pending:') && q && !q.startsWith('pending:'));
        },
        what: `start of ${title}`,
      };
    };
    const starts: string[] = [];
    const mentions: string[] = [];
    const mention = (threadTs: string, round: number): Request => {
      const ts = nextTs();
      const eventId = `Ev${round}M${ts}`;
      mentions.push(eventId);
      const event = {
        type: 'app_mention',
        channel: CHANNEL,
        user: ALICE.id,
        text: `<@${BOT_USER}> summary`,
        ts,
        thread_ts: threadTs,
      };
      return {
        body: bodies.event(event, eventId, HOME_TEAM),
        effect: () => mentionAnswers(eventId) >= 1,
        what: `the answer to mention ${eventId}`,
      };
    };

    let seq = 0;
    const nextTs = () => `1800000000.${String(++seq).padStart(6, '0')}`;
    const reply = (threadTs: string, round: number): Request => {
      const ts = nextTs();
      const event = { type: 'message', channel: CHANNEL, user: ALICE.id, text: `reply ${ts}`, ts, thread_ts: threadTs };
      return {
        body: bodies.event(event, `Ev${round}R${ts}`, HOME_TEAM),
        // Its text may have been edited by a later request since.
        effect: (d) => repliesOf(d, threadTs).some((r) => r.ts === ts),
        what: `reply ${ts}`,
      };
    };
    const edit = (threadTs: string, ts: string, round: number): Request => {
      const text = `edited ${ts} in round ${round}`;
      const event = {
        type: 'message',
        subtype: 'message_changed',
        channel: CHANNEL,
        message: { type: 'message', user: ALICE.id, ts, thread_ts: threadTs, text, edited: { ts: nextTs() } },
      };
      return {
        body: bodies.event(event, `Ev${round}E${ts}`, HOME_TEAM),
        effect: (d) => repliesOf(d, threadTs).some((r) => r.ts === ts && r.text === text),
        what: `edit of ${ts}`,
      };
    };

    /** Polls the team file until every effect holds; names the first missing one when it does not. */
    const waitForEffects = async (requests: Request[], what: string) => {
      const start = Date.now();
      for (;;) {
        const d = doc();
        const missing = requests.find((r) => !r.effect(d));
        if (!missing) return d;
        if (Date.now() - start > 20_000) throw new Error(`${what}: ${missing.what} has no effect after the restart`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    const threads: string[] = [];
    const acknowledged: Request[] = [];
    let replayed = 0;
    // Many interviews in one channel: lift the one-per-channel bound (an admin's rule change).
    const limits = await bot.post(...bodies.command(fake, 'config limits 100 1000', ALICE, CHANNEL));
    expect(limits.status).toBe(200);
    await fake.waitFor((c) => c.method === 'response_url', 5000, 'the config answer');
    for (let round = 1; round <= ROUNDS; round++) {
      // Set-up (no kill): new interviews, and replies to edit during the burst.
      const before = fake.calls.length;
      const started = await Promise.all(
        Array.from({ length: INTERVIEWS }, (_, i) =>
          bot.post(...bodies.command(fake, `start Round ${round} interview ${i}`, ALICE, CHANNEL)),
        ),
      );
      expect(started.every((r) => r.status === 200)).toBe(true);
      // In this channel only: a start of an earlier burst (in its own channel) may still be replaying now.
      const firstQuestion = (c: { seq: number; params: Record<string, unknown> }) =>
        c.seq > before &&
        c.params.channel === CHANNEL &&
        JSON.stringify(c.params.blocks ?? []).includes('"q:clusters"');
      await fake.waitFor(
        () => fake.calls.filter((c) => isPost(c) && firstQuestion(c)).length === INTERVIEWS,
        10_000,
        `the ${INTERVIEWS} interviews of round ${round}`,
      );
      const fresh = fake.calls.filter((c) => isPost(c) && firstQuestion(c)).map((c) => String(c.params.thread_ts));
      threads.push(...fresh);
      const setup = Array.from({ length: SETUP_REPLIES }, (_, i) => reply(fresh[i % INTERVIEWS] ?? '', round));
      for (const r of setup) expect((await bot.post(...r.body)).status).toBe(200);
      await waitForEffects(setup, `set-up of round ${round}`);
      acknowledged.push(...setup);

      // The burst: answers to the new interviews, edits of the set-up replies, new replies anywhere.
      const burst: Request[] = [];
      for (const threadTs of fresh) {
        const question = questionMessage(fake, CHANNEL, threadTs, 'clusters');
        if (!question) throw new Error(`no first question in ${threadTs}`);
        burst.push({
          body: bodies.interaction(clickPayload(fake, question, 'q:clusters', 'one', ALICE)),
          effect: (d) => sessionOf(d, threadTs)?.answers.clusters === 'one',
          what: `the answer in ${threadTs}`,
        });
      }
      for (const [i, r] of setup.entries()) {
        const ts = r.what.slice('reply '.length);
        burst.push(edit(fresh[i % INTERVIEWS] ?? '', ts, round));
      }
      for (let i = 0; i < STARTS; i++) {
        burst.push(start(round, i));
        starts.push(`${round}/Burst ${round} start ${i}`);
      }
      for (let i = 0; i < MENTIONS; i++) burst.push(mention(threads[i % threads.length] ?? '', round));
      while (burst.length < BURST) burst.push(reply(threads[burst.length % threads.length] ?? '', round));
      burst.sort(() => Math.random() - 0.5);

      const killAt = 25 + Math.floor(Math.random() * (BURST - 50));
      let acks = 0;
      let next = 0;
      let killing: Promise<void> | undefined;
      const sender = async () => {
        while (!killing && next < burst.length) {
          const r = burst[next++];
          if (!r) break;
          const res = await bot.post(...r.body).catch(() => undefined);
          if (res?.status !== 200) continue;
          acknowledged.push(r);
          acks += 1;
          if (acks >= killAt) killing ??= bot.kill('SIGKILL');
        }
      };
      await Promise.all(Array.from({ length: SENDERS }, sender));
      await killing;

      bot = await startBotProcess(fake, dataDir, { LOG_LEVEL: 'warn' });
      const d = await waitForEffects(acknowledged, `round ${round} (killed after ${killAt} acks)`);
      replayed += Number(/processing (\d+) request/.exec(bot.log())?.[1] ?? 0);

      // None twice: no reply stored twice, no question or interview posted twice.
      for (const threadTs of threads) {
        const ts = repliesOf(d, threadTs).map((r) => r.ts);
        expect(new Set(ts).size, `replies in ${threadTs}`).toBe(ts.length);
        // One interview message per thread: every question is an update of it, never a second post.
        const posts = fake.calls.filter(
          (c) => isPost(c) && c.params.thread_ts === threadTs && JSON.stringify(c.params.blocks ?? []).includes('"q:'),
        );
        expect(posts.length, `interview messages in ${threadTs}`).toBeLessThanOrEqual(1);
      }
      expect(d.sessions.filter((s) => s.channel === CHANNEL)).toHaveLength(round * INTERVIEWS);
      // Starts: at most one interview, one root and one first question each (exactly one when acknowledged).
      for (const key of starts) {
        const [r = '', title = ''] = key.split('/');
        const sessions = d.sessions.filter((s) => s.title === title);
        expect(sessions.length, `interviews titled ${title}`).toBeLessThanOrEqual(1);
        const roots = rootsOf(burstChannel(Number(r)), title);
        expect(roots.length, `root messages of ${title}`).toBeLessThanOrEqual(1);
        const threadTs = sessions[0]?.threadTs;
        if (!threadTs) continue;
        const firsts = postsIn(
          burstChannel(Number(r)),
          (c) => c.params.thread_ts === threadTs && JSON.stringify(c.params.blocks ?? []).includes('"q:clusters"'),
        );
        // A start cut off before its ack was journalled too: its replay may still be posting, so at most one.
        const acked = acknowledged.some((a) => a.what === `start of ${title}`);
        if (acked) expect(firsts.length, `first questions of ${title}`).toBe(1);
        else expect(firsts.length, `first questions of ${title}`).toBeLessThanOrEqual(1);
      }
      // Mentions: at most one answer each (exactly one when acknowledged, checked above).
      for (const eventId of mentions) expect(mentionAnswers(eventId), `answers to ${eventId}`).toBeLessThanOrEqual(1);
    }

    // The journal, not Slack's redelivery, brought the acknowledged requests back.
    expect(replayed).toBeGreaterThan(0);

    // A request whose store call failed after a restart is tried again with back-off (it stays pending until its
    // effects are stored), so its done mark may come after its visible effect: wait for the journal to empty.
    const journal = new FileJournal(join(dataDir, 'journal'));
    for (const begun = Date.now(); (await journal.pending()).length && Date.now() - begun < 30_000; ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    // A clean stop leaves nothing to replay and no lock or temporary file behind.
    await bot.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(await new FileJournal(join(dataDir, 'journal')).pending()).toEqual([]);
    // The team is past 256 KiB by now: its records went to its log, which a clean stop compacts into the file.
    expect(readdirSync(join(dataDir, 'teams'))).toEqual([`${HOME_TEAM}.json`]);
  }, 120_000);
});
