import { afterEach, describe, expect, it } from 'vitest';
import { startInterview } from '../../support/driver.js';
import { ALICE, CHANNEL, type Harness, HOME_TEAM, isPost, startHarness } from '../../support/harness.js';

/** Resume describes or resumes an interview only in its own conversation. */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Json = Record<string, unknown>;
const sessions = (hh: Harness) => (hh.teamFile()?.sessions ?? []) as { id: string; title: string; channel: string }[];

/** A Resume click on a note in `channel`, carrying the ref of an interview (the bot writes refs as `team:session`). */
async function resumeFrom(hh: Harness, channel: string, sessionId: string): Promise<{ text: string; posts: number }> {
  const before = hh.fake.calls.length;
  const payload: Json = {
    type: 'block_actions',
    api_app_id: 'A0MESH',
    trigger_id: `trigger-${Date.now()}-${Math.random()}`,
    user: { id: ALICE.id, team_id: ALICE.team },
    team: { id: HOME_TEAM },
    channel: { id: channel },
    container: { type: 'message', message_ts: '1700000999.000001', channel_id: channel, is_ephemeral: true },
    actions: [
      { type: 'button', action_id: 'interview:resume', block_id: 'resume', value: `${HOME_TEAM}:${sessionId}` },
    ],
    response_url: hh.fake.responseUrl(),
  };
  expect((await hh.interact(payload)).status).toBe(200);
  const told = await hh.fake.waitFor((c) => c.seq > before && c.method === 'response_url', 5000, 'the resume note');
  await hh.idle();
  return { text: JSON.stringify(told.params), posts: hh.fake.calls.filter((c) => c.seq > before && isPost(c)).length };
}

describe('Resume only in the interview’s own conversation (real app, signed requests)', () => {
  it('from another channel, a public or a private interview is neither described nor resumed', async () => {
    h = await startHarness();
    await startInterview(h, 'Public plans');
    const before = h.fake.calls.length;
    await h.command('start Secret reorg plans', ALICE, 'G0SECRET');
    await h.fake.waitFor(
      (c) => c.seq > before && isPost(c) && c.params.channel === 'G0SECRET',
      5000,
      'the private root',
    );
    await h.idle();
    const [pub, secret] = ['Public plans', 'Secret reorg plans'].map((t) =>
      sessions(h as Harness).find((s) => s.title === t),
    );
    if (!pub || !secret) throw new Error('both interviews should be stored');

    const elsewhere = await resumeFrom(h, 'C0ELSEWHERE', secret.id);
    expect(elsewhere.text).not.toContain('Secret reorg');
    expect(elsewhere.text).toContain('can’t find that interview in this conversation');
    expect(elsewhere.posts).toBe(0);
    const publicChannel = await resumeFrom(h, CHANNEL, secret.id);
    expect(publicChannel.text).not.toContain('Secret reorg');
    expect(publicChannel.posts).toBe(0);
    const otherPublic = await resumeFrom(h, 'C0ELSEWHERE', pub.id);
    expect(otherPublic.text).not.toContain('Public plans');

    // In its own conversation, the same click works as before.
    expect((await resumeFrom(h, 'G0SECRET', secret.id)).text).toContain('Nothing is missing in *Secret reorg plans*');
    expect((await resumeFrom(h, CHANNEL, pub.id)).text).toContain('Nothing is missing in *Public plans*');
  });
});
