import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, type Harness, HOME_TEAM, isPost, startHarness } from '../../support/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** The Home tab's "Start an interview" button: it opens a modal with a trigger_id that expires in 3 s. */
const homeStartClick = () => ({
  type: 'block_actions',
  api_app_id: 'A0MESH',
  trigger_id: `trigger-home-${Date.now()}`,
  user: { id: ALICE.id, team_id: HOME_TEAM },
  team: { id: HOME_TEAM },
  container: { type: 'view', view_id: 'V0HOME' },
  view: { id: 'V0HOME', type: 'home' },
  actions: [{ type: 'button', action_id: 'home:start', block_id: 'home', value: 'start', action_ts: '1' }],
});

describe('a rate limit on one method', () => {
  it('does not hold up views.open: the modal opens while a background post waits out its 429', async () => {
    h = await startHarness({ retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 20 } });
    h.fake.faultNext('chat.postMessage', { status: 429, retryAfter: 4 });
    await h.command('start Busy channel');
    const limited = await h.fake.waitFor((c) => isPost(c), 5000, 'the rate-limited root post');
    const res = await h.interact(homeStartClick());
    expect(res.status).toBe(200);
    // Before: the client paused every call for Retry-After (4 s), and the trigger_id expired meanwhile.
    const opened = await h.fake.waitFor((c) => c.method === 'views.open', 2000, 'views.open during the pause');
    expect(opened.seq).toBeGreaterThan(limited.seq);
    expect(h.fake.called('chat.postMessage')).toHaveLength(1);
    // The post itself is still made once its own pause is over, and the interview goes on.
    await h.fake.waitFor((c) => isPost(c) && typeof c.params.thread_ts === 'string', 8000, 'the first question');
    expect(h.fake.calls.filter((c) => isPost(c) && c.params.thread_ts === undefined)).toHaveLength(2);
  });

  it('a call whose retries are spent fails with Slack’s plain rate-limit error, told in words', async () => {
    h = await startHarness();
    h.fake.faultNext('chat.postMessage', { status: 429, retryAfter: 30 });
    await h.command('start Refused');
    const told = await h.fake.waitFor((c) => c.method === 'response_url', 5000, 'the private note');
    expect(String(told.params.text)).toContain('Slack asked me to slow down');
    expect(h.teamFile()?.sessions ?? []).toEqual([]);
  });
});
