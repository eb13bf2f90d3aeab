import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PgStore, TeamDoc } from '../../../src/store/index.js';
import { type BotProcess, bodies, startBotProcess } from '../../support/bot-process.js';
import { FakeSlack, HOME_TEAM } from '../../support/fake-slack.js';
import { ALICE, BOB, CHANNEL, isPost } from '../../support/harness.js';
import { freshSchema, testDatabaseUrl } from '../../support/pg.js';
import { until } from '../../support/replicas.js';
import { startTcpProxy } from '../../support/tcp-proxy.js';

/**
 * An acknowledged request is never lost to a store that stops taking writes
 * after its ack: it stays pending and is stored once the store answers, or,
 * once the bot knows the store is down, the request is refused before its ack
 * (a non-200 for an event, so Slack delivers it again; a "can't save" answer
 * for a command). Both against the real `mesh-help start` process.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A person's reply in the thread, as Slack delivers it (one event id however often). */
const reply = (rootTs: string, i: number, text = `reply ${i}`) => {
  const ts = `1800${String(i).padStart(6, '0')}.000100`;
  return {
    ts,
    body: bodies.event(
      { type: 'message', channel: CHANNEL, user: BOB.id, text, ts, thread_ts: rootTs },
      `EvOutage${i}`,
      HOME_TEAM,
    ),
  };
};

/** Starts an interview through the bot and resolves with its thread. */
async function startThread(fake: FakeSlack, bot: BotProcess, title: string): Promise<string> {
  expect((await bot.post(...bodies.command(fake, `start ${title}`, ALICE, CHANNEL))).status).toBe(200);
  const first = await fake.waitFor((c) => isPost(c) && typeof c.params.thread_ts === 'string', 10_000, 'a question');
  return String(first.params.thread_ts);
}

/** Slack delivers an event again later, signed anew (the same signature twice is an exact replay, ignored). */
async function redeliver(bot: BotProcess, refused: Array<{ body: readonly [string, string] }>): Promise<void> {
  await sleep(1100);
  for (const r of refused) expect((await bot.post(...r.body)).status).toBe(200);
}

const readyz = async (bot: BotProcess) => {
  const res = await fetch(`${bot.url}/readyz`);
  return { status: res.status, body: (await res.json()) as unknown };
};

const storedTs = (doc: TeamDoc): Set<string> => new Set(doc.sessions.flatMap((s) => s.replies.map((r) => r.ts)));

describe('PostgreSQL stops for 10 s under thread replies (the real process)', () => {
  it('every reply acknowledged is stored afterwards; the others were refused before their ack', async () => {
    const schema = await freshSchema();
    cleanups.push(() => schema.drop());
    const target = new URL(testDatabaseUrl());
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    cleanups.push(() => proxy.close());
    const viaProxy = new URL(schema.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const fake = await new FakeSlack().start();
    cleanups.push(() => fake.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'mesh-pg-outage-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const bot = await startBotProcess(fake, dataDir, { DATABASE_URL: viaProxy.toString() });
    cleanups.push(() => bot.kill('SIGKILL'));
    const reader = new PgStore(schema.url);
    cleanups.push(() => reader.close());

    const rootTs = await startThread(fake, bot, 'Outage');
    await until(
      () => reader.read(HOME_TEAM),
      (d) => d.sessions.length === 1,
      'the session',
    );

    // Replies every 40 ms for 14 s; the database is away from the 2nd second to the 12th.
    const acked: string[] = [];
    const refused: Array<ReturnType<typeof reply>> = [];
    const sending = (async () => {
      const start = Date.now();
      for (let i = 0; Date.now() - start < 14_000; i++) {
        const r = reply(rootTs, i);
        const res = await bot.post(...r.body);
        if (res.status === 200) acked.push(r.ts);
        else refused.push(r);
        await sleep(40);
      }
    })();
    await sleep(2000);
    await proxy.cut();
    const cutAt = acked.length;
    await sleep(1500);
    // The bot knows by now: not ready, and a command is answered "can't save" before it is taken in.
    expect(await readyz(bot)).toEqual({ status: 503, body: { ok: false, reason: 'store' } });
    const command = await bot.post(...bodies.command(fake, 'start While down', ALICE, 'C0OTHER'));
    expect(command.status).toBe(200);
    expect(((await command.json()) as { text: string }).text).toMatch(/can’t save anything right now/);
    await sleep(8500);
    await proxy.restore();
    await sending;

    expect(acked.length).toBeGreaterThan(cutAt);
    expect(refused.length).toBeGreaterThan(0);
    const all = await until(
      () => reader.read(HOME_TEAM),
      (d) => acked.every((ts) => storedTs(d).has(ts)),
      'every acknowledged reply stored',
      30_000,
    );
    expect(acked.filter((ts) => !storedTs(all).has(ts))).toEqual([]);
    expect(await readyz(bot)).toEqual({ status: 200, body: { ok: true } });
    // The command refused while down started nothing.
    expect(all.sessions).toHaveLength(1);

    // Slack delivers the refused ones again: now they are taken in too, and nothing is stored twice.
    await redeliver(bot, refused);
    const every = await until(
      () => reader.read(HOME_TEAM),
      (d) => refused.every((r) => storedTs(d).has(r.ts)),
      'the redelivered replies stored',
      30_000,
    );
    const replies = every.sessions[0]?.replies ?? [];
    expect(replies).toHaveLength(acked.length + refused.length);
    expect(new Set(replies.map((r) => r.ts)).size).toBe(replies.length);
  }, 90_000);
});

/** A tmpfs of our own; the test needs root (as in CI) and says so instead of skipping. */
function tmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-outage-fs-'));
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

describe('the data folder fills up under thread replies (the real process)', () => {
  it('replies taken in are stored once space is back, later ones are refused before their ack, and /readyz says not ready', async () => {
    const fake = await new FakeSlack().start();
    cleanups.push(() => fake.stop());
    const dir = tmpfs('1m');
    const dataDir = join(dir, 'data');
    const bot = await startBotProcess(fake, dataDir);
    cleanups.push(() => bot.kill('SIGKILL'));
    const teamFile = () =>
      TeamDoc.parse(JSON.parse(readFileSync(join(dataDir, 'teams', `${HOME_TEAM}.json`), 'utf8')) as unknown);
    const stored = async () => storedTs(teamFile());
    const waitStored = async (ts: string[], what: string, timeoutMs = 15_000) => {
      for (const start = Date.now(); !ts.every((t) => storedTs(teamFile()).has(t)); ) {
        if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
        await sleep(50);
      }
    };

    const rootTs = await startThread(fake, bot, 'Full folder');
    // A discussion large enough that the team's next write needs several pages.
    const early = [0, 1, 2].map((i) => reply(rootTs, i, `${i} ${'long argument '.repeat(260)}`));
    for (const r of early) expect((await bot.post(...r.body)).status).toBe(200);
    await waitStored(
      early.map((r) => r.ts),
      'the early replies',
    );
    expect(await readyz(bot)).toEqual({ status: 200, body: { ok: true } });

    // Fill the file system, then give one page back: a journal line fits, a team file does not.
    const fillers: string[] = [];
    try {
      for (let i = 0; ; i++) {
        const f = join(dir, `filler-${i}`);
        writeFileSync(f, Buffer.alloc(4096, 1));
        fillers.push(f);
      }
    } catch {
      // full now
    }
    rmSync(fillers.pop() ?? '', { force: true });

    const acked: string[] = [];
    const refused: Array<ReturnType<typeof reply>> = [];
    for (let i = 3; i < 10; i++) {
      const r = reply(rootTs, i);
      const res = await bot.post(...r.body);
      if (res.status === 200) acked.push(r.ts);
      else refused.push(r);
      await sleep(150);
    }
    expect(acked.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect([...(await stored())].filter((ts) => acked.includes(ts))).toEqual([]);
    expect(await readyz(bot)).toEqual({ status: 503, body: { ok: false, reason: 'store' } });
    const command = await bot.post(...bodies.command(fake, 'start While full', ALICE, 'C0OTHER'));
    expect(((await command.json()) as { text: string }).text).toMatch(/can’t save anything right now/);

    // Space comes back: what was acknowledged is stored without any redelivery.
    for (const f of fillers) rmSync(f, { force: true });
    await waitStored(acked, 'the acknowledged replies');
    expect(await readyz(bot)).toEqual({ status: 200, body: { ok: true } });
    await redeliver(bot, refused);
    await waitStored(
      refused.map((r) => r.ts),
      'the redelivered replies',
    );
    expect(teamFile().sessions).toHaveLength(1);
    expect(teamFile().sessions[0]?.replies).toHaveLength(10);
  }, 60_000);
});
