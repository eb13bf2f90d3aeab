import { afterEach, describe, expect, it } from 'vitest';
import { type Store, StoreError } from '../../../src/store/index.js';
import { startInterview } from '../../support/driver.js';
import type { Call } from '../../support/fake-slack.js';
import { ALICE, BOB, CHANNEL, type Harness, HOME_TEAM, isPost, startHarness } from '../../support/harness.js';

type Json = Record<string, unknown>;
let h: Harness;
afterEach(async () => {
  await h?.close();
});

const roots = () => h.fake.calls.filter((c) => isPost(c) && c.params.thread_ts === undefined);
const sessions = () => (h.teamFile()?.sessions ?? []) as Json[];

async function reply(text: string, who = ALICE, channel = CHANNEL): Promise<Call> {
  const before = h.fake.calls.length;
  const res = await h.command(text, who, channel);
  expect(res.status).toBe(200);
  const call = await h.fake.waitFor((c) => c.seq > before && c.method === 'response_url', 5000, `reply to ${text}`);
  await h.idle();
  return call;
}

/** The value of the Resume button in a private note's blocks. */
const resumeValue = (params: Json): string | undefined => {
  for (const b of (params.blocks ?? []) as Json[]) {
    for (const e of (b.elements ?? []) as Json[]) if (e.action_id === 'interview:resume') return String(e.value);
  }
  return undefined;
};

const resumeClick = (value: string, who = ALICE) => ({
  type: 'block_actions',
  api_app_id: 'A0MESH',
  trigger_id: `trigger-${Date.now()}-${Math.random()}`,
  user: { id: who.id, team_id: who.team },
  team: { id: HOME_TEAM },
  channel: { id: CHANNEL },
  container: { type: 'message', message_ts: '1700000999.000001', channel_id: CHANNEL, is_ephemeral: true },
  actions: [{ type: 'button', action_id: 'interview:resume', block_id: 'resume', value, action_ts: '1' }],
  response_url: h.fake.responseUrl(),
});

describe('open interview limits', () => {
  it('a second start in a channel with an open interview offers to resume it instead of opening another', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h, 'First');
    const note = await reply('start Second', BOB);
    expect(JSON.stringify(note.params)).toContain('*First* is still open in this channel');
    expect(roots()).toHaveLength(1);
    expect(sessions()).toHaveLength(1);
    const value = resumeValue(note.params);
    expect(value).toBe(`${HOME_TEAM}:${String(sessions()[0]?.id)}`);

    // Resume it: nothing is missing, the first question is waiting in the thread.
    const before = h.fake.calls.length;
    await h.interact(resumeClick(value ?? '', BOB));
    const told = await h.fake.waitFor((c) => c.seq > before && c.method === 'response_url', 5000, 'the resume note');
    expect(String(told.params.text)).toContain('Nothing is missing in *First*');
    expect(h.fake.calls.filter((c) => c.seq > before && isPost(c) && c.params.thread_ts === rootTs)).toEqual([]);
  });

  it('another channel may start its own, and the team limit is a setting', async () => {
    h = await startHarness();
    expect(JSON.stringify((await reply('config limits 1 2')).params)).toContain(
      'At most 1 open interview per channel and 2',
    );
    await startInterview(h, 'Here');
    const before = h.fake.calls.length;
    await h.command('start There', ALICE, 'C0OTHER');
    await h.fake.waitFor(
      (c) => c.seq > before && isPost(c) && c.params.channel === 'C0OTHER',
      5000,
      'a root in C0OTHER',
    );
    await h.idle();
    const third = await reply('start Third', ALICE, 'C0THIRD');
    expect(String(third.params.text)).toContain('already has 2 open interviews');
    expect(roots().map((c) => c.params.channel)).toEqual([CHANNEL, 'C0OTHER']);
    expect(sessions()).toHaveLength(2);
  });

  it('two starts at once in one channel open one interview', async () => {
    h = await startHarness();
    await Promise.all([h.command('start A'), h.command('start B', BOB)]);
    await h.fake.waitFor((c) => c.method === 'response_url', 5000, 'the refusal of one');
    await h.idle();
    expect(roots()).toHaveLength(1);
    expect(sessions()).toHaveLength(1);
  });
});

describe('a failed step can be resumed', () => {
  it('a failed first-question post tells the person, and /mesh-help resume posts it from where it stopped', async () => {
    h = await startHarness();
    h.fake.failNextMatching('chat.postMessage', (p) => p.thread_ts !== undefined, 'internal_error');
    await h.command('start Flaky');
    const told = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral', 5000, 'the private note');
    expect(String(told.params.text)).toContain('Slack would not take the next question just now');
    expect(resumeValue(told.params)).toBe(`${HOME_TEAM}:${String(sessions()[0]?.id)}`);
    await h.idle();
    expect(roots()).toHaveLength(1);

    const before = h.fake.calls.length;
    const note = await reply('resume');
    expect(String(note.params.text)).toContain('Picking up *Flaky* where it stopped');
    const question = await h.fake.waitFor(
      (c) => c.seq > before && isPost(c) && JSON.stringify(c.params.blocks).includes('"q:clusters"'),
      5000,
      'the first question',
    );
    expect(question.params.thread_ts).toBeDefined();
    await h.idle();
    expect(sessions()[0]?.interviewTs).toMatch(/^\d+\.\d+$/);
  });

  it('the Resume button does the same', async () => {
    h = await startHarness();
    h.fake.failNextMatching('chat.postMessage', (p) => p.thread_ts !== undefined, 'internal_error');
    await h.command('start Flaky button');
    const told = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral', 5000, 'the private note');
    await h.idle();
    const before = h.fake.calls.length;
    await h.interact(resumeClick(resumeValue(told.params) ?? ''));
    await h.fake.waitFor(
      (c) => c.seq > before && isPost(c) && JSON.stringify(c.params.blocks).includes('"q:clusters"'),
      5000,
      'the first question',
    );
  });

  it('a store write failing after the root post removes the root message and tells the person', async () => {
    let updates = 0;
    const failSecondUpdate = (store: Store): Store => ({
      read: (t) => store.read(t),
      teams: () => store.teams(),
      check: () => store.check(),
      close: () => store.close(),
      ping: () => store.ping(),
      update: (t, fn) => {
        updates += 1;
        if (updates === 2) return Promise.reject(new StoreError('write_failed', 'disk full (test)'));
        return store.update(t, fn);
      },
    });
    h = await startHarness({ wrapStore: failSecondUpdate });
    await h.command('start Unsaved');
    const deleted = await h.fake.waitFor((c) => c.method === 'chat.delete', 5000, 'the root message removed');
    const root = roots()[0];
    expect(root).toBeDefined();
    // The fake answered the root post with the ts that was deleted, and no longer holds that message.
    expect(h.fake.message(CHANNEL, String(deleted.params.ts))).toBeUndefined();
    const told = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral', 5000, 'the private note');
    expect(String(told.params.text)).toContain('nothing was changed');
    await h.idle();
    expect(sessions()).toEqual([]);
    expect(h.fake.calls.filter((c) => isPost(c) && c.params.thread_ts !== undefined)).toEqual([]);
  });
});
