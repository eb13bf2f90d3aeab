import { afterEach, describe, expect, it } from 'vitest';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import type { Call } from '../../support/fake-slack.js';
import { ALICE, actionPayload, BOB, CHANNEL, type Harness, isPost, startHarness } from '../../support/harness.js';

type Json = Record<string, unknown>;
let h: Harness;
afterEach(async () => {
  await h?.close();
});

const PUBLIC = 'C0OTHER';

async function decide(title: string): Promise<void> {
  const start = h.fake.calls.length;
  const rootTs = await startInterview(h, title);
  await runInterview(h, rootTs, SMALL_TEAM);
  const card = await waitForCard(h, start);
  const before = h.fake.calls.length;
  await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
  await h.fake.waitFor(
    (c) => c.seq > before && isPost(c) && JSON.stringify(c.params.blocks ?? []).includes('"block_id":"adr:'),
    5000,
    `the decision card of ${title}`,
  );
  await h.idle();
}

async function reply(text: string, channel: string, who = ALICE): Promise<Call> {
  const before = h.fake.calls.length;
  await h.command(text, who, channel);
  const call = await h.fake.waitFor((c) => c.seq > before && c.method === 'response_url', 5000, `reply to ${text}`);
  await h.idle();
  return call;
}

/** A team with one public record, then one made in CHANNEL after it turned private. */
async function twoRecords(): Promise<void> {
  h = await startHarness();
  await reply('config channel C0DECIDE', CHANNEL);
  await decide('Public plan');
  h.fake.privateChannels.add(CHANNEL);
  h.fake.members.set(CHANNEL, [ALICE.id]);
  await decide('Secret plan');
}

describe('records made in a private channel', () => {
  it('are marked private to that channel, and their card is not copied to the decisions channel', async () => {
    await twoRecords();
    const decisions = (h.teamFile()?.decisions ?? []) as Json[];
    expect(decisions.map((d) => [d.title, d.privateTo])).toEqual([
      ['Public plan', undefined],
      ['Secret plan', CHANNEL],
    ]);
    const copies = h.fake.calls.filter((c) => isPost(c) && c.params.channel === 'C0DECIDE');
    // The public record's accept notice (one line, issue #17); nothing of the private one.
    expect(copies.map((c) => String(c.params.text))).toEqual(['ADR-0001 accepted: Public plan']);
    expect(JSON.stringify(copies)).not.toContain('Secret plan');
  });

  it('/mesh-help decisions elsewhere lists only what that channel may see and says how many were left out', async () => {
    await twoRecords();
    const elsewhere = JSON.stringify((await reply('decisions', PUBLIC)).params);
    expect(elsewhere).toContain('Public plan');
    expect(elsewhere).not.toContain('Secret plan');
    expect(elsewhere).toContain('1 record from private channels or DMs is not shown here');
    const inside = JSON.stringify((await reply('decisions', CHANNEL)).params);
    expect(inside).toContain('Secret plan');
    expect(inside).toContain('Public plan');
  });

  it('/mesh-help export elsewhere uploads only the visible records and says what it left out', async () => {
    await twoRecords();
    const before = h.fake.calls.length;
    const note = await reply('export', PUBLIC);
    const lead = h.fake.calls.find((c) => c.seq > before && isPost(c) && c.params.channel === PUBLIC);
    expect(JSON.stringify(lead?.params)).toContain('1 record from private channels or DMs was left out');
    expect(String(note.params.text)).toContain('1 record from private channels or DMs was left out');
    const uploaded = h.fake.calls
      .filter((c) => c.seq > before && c.method === 'upload')
      .map((c) => String(c.params.body));
    expect(uploaded.join('\n')).toContain('Public plan');
    expect(uploaded.join('\n')).not.toContain('Secret plan');
  });

  it('App Home shows a private record only to members of its channel', async () => {
    await twoRecords();
    const homeOf = async (user: string) => {
      const before = h.fake.calls.length;
      await h.event({ type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' });
      const call = await h.fake.waitFor((c) => c.seq > before && c.method === 'views.publish', 5000, 'the Home tab');
      return JSON.stringify(call.params.view);
    };
    const alice = await homeOf(ALICE.id);
    expect(alice).toContain('Secret plan');
    const bob = await homeOf(BOB.id);
    expect(bob).not.toContain('Secret plan');
    expect(bob).toContain('Public plan');
    expect(bob).toContain('1 record from private channels or DMs');
  });

  it('a private channel known by its G id needs no lookup, and a revisit from a public channel cannot reach its record', async () => {
    await twoRecords();
    const refused = await reply('start revisit ADR-0002 Peek', PUBLIC);
    expect(String(refused.params.text)).toContain('There is no ADR-0002');
    const info = h.fake.called('conversations.info').length;
    await h.command('start Group chat', ALICE, 'G0GROUP');
    await h.fake.waitFor((c) => isPost(c) && c.params.channel === 'G0GROUP', 5000, 'the root in G0GROUP');
    await h.idle();
    expect(h.fake.called('conversations.info')).toHaveLength(info);
    const session = ((h.teamFile()?.sessions ?? []) as Json[]).find((s) => s.channel === 'G0GROUP');
    expect(session?.privateTo).toBe('G0GROUP');
  });
});
