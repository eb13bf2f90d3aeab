import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answer, answerPayload, startInterview, waitForQuestion } from '../../support/driver.js';
import { ALICE, CHANNEL, type Harness, isPost, startHarness } from '../../support/harness.js';

/** The parts of an interaction payload these tests tamper with. */
type Payload = { container: { thread_ts?: string }; message: { thread_ts?: string }; actions: { action_id: string }[] };

let h: Harness | undefined;
const mounts: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const m of mounts.splice(0)) execFileSync('umount', [m]);
});

const ephemeralTexts = (hh: Harness) => hh.fake.called('chat.postEphemeral').map((c) => String(c.params.text ?? ''));
const rootPosts = (hh: Harness) => hh.fake.calls.filter((c) => isPost(c) && c.params.thread_ts === undefined);

describe('Slack answers 429 with Retry-After', () => {
  it('the bot waits as told and the message is posted once', async () => {
    h = await startHarness({ retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 } });
    h.fake.faultNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const res = await h.command('start Rate limited');
    expect(res.status).toBe(200);
    await h.fake.waitFor((c) => isPost(c) && typeof c.params.thread_ts === 'string', 8000, 'the first question');
    await h.idle();
    const attempts = rootPosts(h);
    expect(attempts).toHaveLength(2);
    const stored = [...h.fake.messages.values()].filter((m) => m.thread_ts === undefined);
    expect(stored).toHaveLength(1);
    const [first, second] = attempts.map((c) => c.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(950);
  });
});

describe('Slack fails a step (500 or a timeout)', () => {
  it.each([
    ['a 500', { status: 500 }, {}],
    ['a timeout', { status: 200, delayMs: 1500 }, { timeoutMs: 300 }],
  ])('after %s the person is told privately, and clicking the answer again carries on', async (_, fault, options) => {
    h = await startHarness(options);
    const rootTs = await startInterview(h);
    // The interview message is updated in place: the failing call is that update.
    h.fake.faultNext('chat.update', fault);
    await answer(h, rootTs, 'clusters', 'one');
    await h.fake.waitFor((c) => c.method === 'chat.postEphemeral', 5000, 'the private note');
    expect(ephemeralTexts(h).join('\n')).toMatch(/answers are saved.*Resume it.*your last answer again/);
    const storedServices = () =>
      [...(h?.fake.messages.values() ?? [])].filter((m) => JSON.stringify(m.blocks).includes('"q:services"'));
    // A timed-out call may still land in Slack; a 500 leaves the message as it was.
    if (fault.status === 500) expect(storedServices()).toHaveLength(0);
    const saved = h.teamFile()?.sessions as { answers: Record<string, unknown> }[];
    expect(saved[0]?.answers).toEqual({ clusters: 'one' });

    // The next click (the same answer again) shows the missing question, in the same message.
    const retry = await h.interact(answerPayload(h, rootTs, 'clusters', 'one'));
    expect(retry.status).toBe(200);
    const services = await waitForQuestion(h, rootTs, 'services');
    expect(services.thread_ts).toBe(rootTs);
    await answer(h, rootTs, 'services', '10-49');
    await waitForQuestion(h, rootTs, 'pains');
    const after = h.teamFile()?.sessions as { answers: Record<string, unknown> }[];
    expect(after[0]?.answers).toEqual({ clusters: 'one', services: '10-49' });
    // One interview message in the thread, whatever failed.
    expect(h.fake.thread(CHANNEL, rootTs).filter((m) => m.ts !== rootTs)).toHaveLength(1);
  });
});

describe('the same delivery twice', () => {
  it('an identical interaction delivered twice has one effect', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    const payload = answerPayload(h, rootTs, 'clusters', 'one');
    const [a, b] = await Promise.all([h.interact(payload), h.interact(payload)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await waitForQuestion(h, rootTs, 'services');
    await h.idle();
    // The interview message moved on to the next question, and no second message was posted.
    expect(h.fake.thread(CHANNEL, rootTs).filter((m) => m.ts !== rootTs)).toHaveLength(1);
    const s = ((h.teamFile()?.sessions ?? []) as { version: number; answers: object }[])[0];
    expect(s?.answers).toEqual({ clusters: 'one' });
    expect(s?.version).toBe(1);
  });
});

describe('oversized and malformed input', () => {
  it('an 8 KB slash command text is refused cleanly and changes nothing', async () => {
    h = await startHarness();
    // Over the 4,000 characters Slack allows, under the 64 KB body limit (bad-input.test.ts covers larger bodies).
    const res = await h.command(`start ${'x'.repeat(8 * 1024)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/could not read that command/);
    await h.idle();
    expect(rootPosts(h)).toHaveLength(0);
    expect(h.teamFile()).toBeUndefined();
  });

  it('a payload that is not JSON gets a 4xx and no side effect', async () => {
    h = await startHarness();
    const res = await h.post('payload=%7Bnot-json', 'application/x-www-form-urlencoded');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await h.idle();
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(h.teamFile()).toBeUndefined();
  });

  it('a click for a session that does not exist is refused privately and changes nothing', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    const before = h.teamFileText();
    const payload = answerPayload(h, rootTs, 'clusters', 'one') as Payload;
    payload.container.thread_ts = '1999999999.000001';
    payload.message.thread_ts = '1999999999.000001';
    const res = await h.interact(payload);
    expect(res.status).toBe(200);
    await h.fake.waitFor((c) => c.method === 'response_url' || c.method === 'chat.postEphemeral', 3000, 'a refusal');
    expect(h.teamFileText()).toBe(before);
  });

  it('an action id the bot never made changes nothing', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    const before = h.teamFileText();
    const calls = h.fake.calls.length;
    const payload = answerPayload(h, rootTs, 'clusters', 'one') as Payload;
    const [action] = payload.actions;
    if (!action) throw new Error('the click has no action');
    action.action_id = 'delete:everything';
    const res = await h.interact(payload);
    expect(res.status).not.toBe(200);
    expect(h.teamFileText()).toBe(before);
    expect(h.fake.calls.length).toBe(calls);
  });
});

/** A tmpfs of our own for the data folder (root, as in CI); undefined where mounting is not allowed. */
function tmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-slack-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

describe('a data folder that cannot be written', () => {
  it('read-only: the command is refused before its ack, visibly, and nothing is posted or left behind', async () => {
    const dir = tmpfs('1m');
    let dataDir = dir && join(dir, 'data');
    if (!dir) {
      // Without mount rights, a file where the folder should be makes every write fail the same way.
      const base = mkdtempSync(join(tmpdir(), 'mesh-slack-ro-'));
      writeFileSync(join(base, 'data'), '');
      dataDir = join(base, 'data');
    } else execFileSync('mount', ['-o', 'remount,ro', dir]);
    h = await startHarness({ dataDir });
    const calls = h.fake.calls.length;
    const res = await h.command('start Nowhere to save');
    // The request cannot be journalled, so it is not taken in: the answer to the command says so.
    expect(res.status).toBe(200);
    expect(((await res.json()) as { text: string }).text).toMatch(/can’t save anything right now/);
    await h.idle();
    expect(h.fake.calls.slice(calls).map((c) => c.method)).toEqual([]);
    if (dir) expect(readdirSync(dir)).toEqual([]);
  });

  it('full: the person is told, the last good file stays and no temporary file is left', async () => {
    const dir = tmpfs('48k');
    if (!dir) return void expect(dir).toBeUndefined();
    h = await startHarness({ dataDir: join(dir, 'data') });
    const rootTs = await startInterview(h, 'x'.repeat(140));
    // Fill the disk so the next save cannot fit.
    writeFileSync(join(dir, 'filler'), Buffer.alloc(0));
    try {
      for (let i = 0; ; i++) writeFileSync(join(dir, `filler-${i}`), Buffer.alloc(4096, 1));
    } catch {
      // the disk is full now
    }
    const before = h.teamFileText();
    await h.interact(answerPayload(h, rootTs, 'clusters', 'multi-region', ALICE));
    await h.fake.waitFor((c) => c.method === 'chat.postEphemeral', 5000, 'the failure note');
    expect(ephemeralTexts(h).join('\n')).toMatch(/could not save/);
    expect(h.teamFileText()).toBe(before);
    expect(readdirSync(join(dir, 'data', 'teams')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
