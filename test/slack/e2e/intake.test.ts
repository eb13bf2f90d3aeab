import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TeamDoc } from '../../../src/store/index.js';
import { type BotProcess, bodies, startBotProcess } from '../../support/bot-process.js';
import { FakeSlack, HOME_TEAM } from '../../support/fake-slack.js';
import { ALICE, CHANNEL, clickPayload, isPost, questionMessage } from '../../support/harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A tmpfs of our own; the test needs root (as in CI) and says so instead of skipping. */
function tmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-intake-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    throw new Error('this test mounts a small tmpfs to fill it: run it as root (CI does), e.g. `sudo npx vitest run`');
  }
  cleanups.push(() => {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Fills a file system until nothing more fits; returns the filler files. */
function fill(dir: string): string[] {
  const files: string[] = [];
  try {
    for (let i = 0; ; i++) {
      const f = join(dir, `filler-${i}`);
      files.push(f);
      writeFileSync(f, Buffer.alloc(4096, 1));
    }
  } catch {
    // full now
  }
  return files;
}

describe('intake on a full disk (the real process)', () => {
  it('refuses before the ack, visibly, and takes the event in once Slack delivers it again with space back', async () => {
    const fake = await new FakeSlack().start();
    cleanups.push(() => fake.stop());
    const dir = tmpfs('512k');
    const dataDir = join(dir, 'data');
    let bot: BotProcess = await startBotProcess(fake, dataDir);
    cleanups.push(() => bot.kill('SIGKILL'));

    expect((await bot.post(...bodies.command(fake, 'start Full disk', ALICE, CHANNEL))).status).toBe(200);
    const first = await fake.waitFor(
      (c) => isPost(c) && typeof c.params.thread_ts === 'string',
      5000,
      'the first question',
    );
    const rootTs = String(first.params.thread_ts);
    await fake.settle(100);
    const before = readFileSync(join(dataDir, 'teams', `${HOME_TEAM}.json`), 'utf8');
    const callsBefore = fake.calls.length;

    const fillers = fill(dir);
    // Each request below is larger than a page, so it cannot fit in what is left of the journal's last one.
    const reply = {
      type: 'message',
      channel: CHANNEL,
      user: ALICE.id,
      text: 'x'.repeat(6000),
      ts: '1800000000.000100',
      thread_ts: rootTs,
    };
    const event = bodies.event(reply, 'EvFULL1', HOME_TEAM);
    const refusedEvent = await bot.post(...event);
    expect(refusedEvent.status).toBeGreaterThanOrEqual(500);

    const command = await bot.post(...bodies.command(fake, `start ${'y'.repeat(5000)}`, ALICE, CHANNEL));
    expect(command.status).toBe(200);
    expect(((await command.json()) as { text: string }).text).toMatch(/can’t save anything right now/);

    const question = questionMessage(fake, CHANNEL, rootTs, 'clusters');
    if (!question) throw new Error('no question message');
    const click = clickPayload(fake, question, 'q:clusters', 'one', ALICE);
    const clicked = await bot.post(...bodies.interaction({ ...click, padding: 'z'.repeat(5000) }));
    expect(clicked.status).toBe(200);
    const note = await fake.waitFor((c) => c.method === 'response_url' && c.seq > callsBefore, 5000, 'the refusal');
    expect(String(note.params.text)).toMatch(/can’t save anything right now/);
    expect(bot.log()).toMatch(/could not be journalled \(the disk is full/);
    await fake.settle(100);
    // Nothing was taken in: no post, no change to the team's file.
    expect(fake.calls.slice(callsBefore).filter((c) => c.method !== 'response_url')).toEqual([]);
    expect(readFileSync(join(dataDir, 'teams', `${HOME_TEAM}.json`), 'utf8')).toBe(before);

    // Space comes back; Slack delivers the refused event again (after a restart, to show nothing was kept).
    for (const f of fillers) rmSync(f, { force: true });
    await bot.kill('SIGKILL');
    bot = await startBotProcess(fake, dataDir);
    const retried = await bot.post(...event);
    expect(retried.status).toBe(200);
    const doc = async () =>
      TeamDoc.parse(JSON.parse(readFileSync(join(dataDir, 'teams', `${HOME_TEAM}.json`), 'utf8')));
    for (const start = Date.now(); !(await doc()).sessions[0]?.replies.length; ) {
      if (Date.now() - start > 5000) throw new Error('the redelivered reply was not stored');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await doc()).sessions[0]?.replies.map((r) => r.ts)).toEqual(['1800000000.000100']);
    expect((await doc()).sessions[0]?.answers).toEqual({});
  }, 30_000);
});

describe('a bounded backlog', () => {
  it('past the limit of requests in progress, a command is answered "busy" and not taken in', async () => {
    const { startHarness } = await import('../../support/harness.js');
    const h = await startHarness({ maxBacklog: 3 });
    cleanups.push(() => h.close());
    // Several interviews in one channel: lift the one-per-channel bound first.
    await h.command('config limits 10 100');
    await h.fake.waitFor((c) => c.method === 'response_url', 5000, 'the config answer');
    // Three interviews whose first post hangs for a while hold the three places.
    for (let i = 0; i < 3; i++) h.fake.faultNext('chat.postMessage', { status: 500, delayMs: 1500 });
    const held = await Promise.all([1, 2, 3].map((i) => h.command(`start Held ${i}`)));
    expect(held.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.fake.waitFor(() => h.fake.called('chat.postMessage').length === 3, 5000, 'three hanging posts');
    const busy = await h.command('start One too many');
    expect(busy.status).toBe(200);
    expect(((await busy.json()) as { text: string }).text).toMatch(/busy right now.*try again in a minute/);
    // Once the backlog drains, the same command is taken in.
    await h.fake.waitFor(() => h.fake.called('response_url').length === 3, 10_000, 'the three failed starts told');
    await h.idle();
    const calls = h.fake.calls.length;
    expect((await h.command('start One too many')).status).toBe(200);
    const mentions = (c: { params: object }) => JSON.stringify(c.params).includes('One too many');
    await h.fake.waitFor((c) => c.seq > calls && isPost(c) && mentions(c), 5000, 'the root message');
    expect(h.fake.calls.filter((c) => isPost(c) && mentions(c))).toHaveLength(1);
  }, 20_000);
});
