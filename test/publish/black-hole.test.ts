import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Io, run } from '../../src/cli/main.js';
import { FileStore } from '../../src/store/index.js';
import { type BotProcess, bodies, startBotProcess } from '../support/bot-process.js';
import { type Call, FakeSlack } from '../support/fake-slack.js';
import { ALICE, CHANNEL, clickPayload, isPost, questionMessage } from '../support/harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A TCP server that accepts every connection and never sends a byte: a remote that hangs. */
async function blackHole(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    accepted: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Six teams, each with one accepted record. */
const TEAMS = ['T0EXP1', 'T0EXP2', 'T0EXP3', 'T0EXP4', 'T0EXP5', 'T0EXP6'];
const person = (team: string) => ({ id: `U0${team}`, team });
const TIMEOUT_S = 8;

describe('exports to a remote that accepts and never answers (the real process)', () => {
  it('end on time with a message, leave other teams’ starts and answers alone, and SIGTERM completes', async () => {
    const hole = await blackHole();
    cleanups.push(() => hole.close());
    const fake = await new FakeSlack().start();
    cleanups.push(() => fake.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'mesh-black-hole-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    // The records, written with the CLI into the folder the bot will use.
    const answers = join(dataDir, 'answers.json');
    writeFileSync(answers, JSON.stringify({ clusters: 'one' }));
    const io: Io = {
      out: () => undefined,
      err: () => undefined,
      env: { MESH_HELP_DATA_DIR: dataDir },
      stdinIsTTY: false,
      now: () => new Date(),
    };
    for (const team of TEAMS)
      expect(
        await run(['interview', '--answers', answers, '--team', team, '--title', `Records of ${team}`, '--accept'], io),
      ).toBe(0);
    // Half the teams export to a git remote over http, half to GitHub: both are the black hole.
    const hole_ = `http://127.0.0.1:${hole.port}`;
    const store = new FileStore(dataDir);
    for (const [i, team] of TEAMS.entries())
      await store.update(team, (doc) => {
        if (i % 2) doc.config.repo = { owner: 'acme', name: team.toLowerCase(), path: 'docs/decisions' };
        else doc.config.gitRemote = { url: `${hole_}/${team}.git`, path: 'docs/decisions' };
      });
    await store.close();

    const env = {
      MESH_HELP_EXPORT_TIMEOUT_S: String(TIMEOUT_S),
      GITHUB_TOKEN: `ghp_${'t'.repeat(36)}`,
      GITHUB_API_URL: `${hole_}/api/v3`,
      MESH_HELP_EXPORT_ALLOW: `${hole_}/ acme/*`,
    };
    let bot: BotProcess = await startBotProcess(fake, dataDir, env);
    cleanups.push(() => bot.kill('SIGKILL'));

    /** Posts a slash command; resolves with the path of its response_url, where the answer will go. */
    const command = async (text: string, who: { id: string; team: string }) => {
      const [body, type] = bodies.command(fake, text, who, CHANNEL);
      const path = new URL(String(new URLSearchParams(body).get('response_url'))).pathname;
      expect((await bot.post(body, type)).status).toBe(200);
      return path;
    };
    const answerAt = (path: string, timeoutMs: number, what: string) =>
      fake.waitFor((c: Call) => c.method === 'response_url' && c.path === path, timeoutMs, what);

    // Six exports into the black hole at once, and a second one of the first team.
    const asked = Date.now();
    const exports = await Promise.all(TEAMS.map((team) => command('export pr', person(team))));
    const again = await command('export pr', person(TEAMS[0] ?? ''));
    expect(String((await answerAt(again, 3000, 'the second export’s answer')).params.text)).toMatch(
      /already being exported/,
    );

    // Meanwhile another team starts an interview and answers its first question, as quickly as ever.
    const seen = fake.calls.length;
    await command('start Unaffected', ALICE);
    const first = await fake.waitFor(
      (c) => c.seq > seen && isPost(c) && typeof c.params.thread_ts === 'string',
      4000,
      'the other team’s first question',
    );
    const rootTs = String(first.params.thread_ts);
    await fake.settle(50);
    const question = questionMessage(fake, CHANNEL, rootTs, 'clusters');
    if (!question) throw new Error('no question message');
    const clicked = fake.calls.length;
    expect(
      (await bot.post(...bodies.interaction(clickPayload(fake, question, 'q:clusters', 'one', ALICE)))).status,
    ).toBe(200);
    await fake.waitFor(
      (c) => c.seq > clicked && c.method.startsWith('chat.') && c.params.channel === CHANNEL,
      4000,
      'the other team’s next question',
    );
    // All of that happened while the exports were still held by the remote.
    expect(Date.now() - asked).toBeLessThan(TIMEOUT_S * 1000);
    expect(hole.accepted()).toBeGreaterThanOrEqual(2);

    // Every export ends on time, and its person is told why, in plain words.
    for (const path of exports) {
      const said = String((await answerAt(path, TIMEOUT_S * 1000 + 5000, 'an export’s answer')).params.text);
      expect(said).toMatch(/did not answer in time|did not start/);
      expect(said).not.toMatch(/git (ls-remote|fetch|push)|Command failed|ghp_/);
    }
    expect(Date.now() - asked).toBeLessThan(TIMEOUT_S * 1000 + 5000);

    // A stop while an export hangs (its own deadline far away) completes at once, and its person is told.
    await bot.kill('SIGTERM');
    bot = await startBotProcess(fake, dataDir, { ...env, MESH_HELP_EXPORT_TIMEOUT_S: '300' });
    const before = hole.accepted();
    const hanging = await command('export pr', person(TEAMS[1] ?? ''));
    for (const start = Date.now(); hole.accepted() === before; ) {
      if (Date.now() - start > 5000) throw new Error('the export never reached the remote');
      await new Promise((r) => setTimeout(r, 20));
    }
    const stopping = Date.now();
    await bot.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5000);
    expect(String((await answerAt(hanging, 1000, 'the stopped export’s answer')).params.text)).toMatch(/restarting/);

    // An export in flight when the bot dies is replayed from the journal after the restart, and is bounded too.
    bot = await startBotProcess(fake, dataDir, env);
    const killedAt = hole.accepted();
    const replayed = await command('export git', person(TEAMS[2] ?? ''));
    for (const start = Date.now(); hole.accepted() === killedAt; ) {
      if (Date.now() - start > 5000) throw new Error('the export never reached the remote');
      await new Promise((r) => setTimeout(r, 20));
    }
    await bot.kill('SIGKILL');
    const restarted = Date.now();
    bot = await startBotProcess(fake, dataDir, env);
    const said = await answerAt(replayed, TIMEOUT_S * 1000 + 5000, 'the replayed export’s answer');
    expect(String(said.params.text)).toMatch(/did not answer in time/);
    expect(Date.now() - restarted).toBeLessThan(TIMEOUT_S * 1000 + 5000);
  }, 90_000);
});
