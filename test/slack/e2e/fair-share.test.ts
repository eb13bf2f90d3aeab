import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, EVE, type Harness, isPost, startHarness } from '../../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('one team’s flood leaves the backlog to the others (real app, signed requests)', () => {
  it('past its share of the backlog a team is answered "busy", while another team’s request is still taken in', async () => {
    h = await startHarness({ maxBacklog: 4 });
    await h.command('config limits 10 100');
    await h.fake.waitFor((c) => c.method === 'response_url', 5000, 'the config answer');
    await h.idle();
    // Three interviews whose first post hangs hold three of the four places, all for the home team.
    for (let i = 0; i < 3; i++) h.fake.faultNext('chat.postMessage', { status: 500, delayMs: 2000 });
    const held = await Promise.all([1, 2, 3].map((i) => h?.command(`start Flood ${i}`, ALICE, `C0FLOOD${i}`)));
    expect(held.map((r) => r?.status)).toEqual([200, 200, 200]);
    await h.fake.waitFor(() => (h?.fake.called('chat.postMessage').length ?? 0) === 3, 5000, 'three hanging posts');

    const fourth = await h.command('start Flood 4', ALICE, 'C0FLOOD4');
    expect(((await fourth.json()) as { text: string }).text).toMatch(/busy right now/);

    const before = h.fake.calls.length;
    const other = await h.command('start Their own', EVE, 'C0EVE');
    expect(other.status).toBe(200);
    expect(await other.text()).not.toMatch(/busy right now/);
    await h.fake.waitFor(
      (c) => c.seq > before && isPost(c) && JSON.stringify(c.params).includes('Their own'),
      8000,
      'the other team’s interview',
    );
  }, 20_000);
});
