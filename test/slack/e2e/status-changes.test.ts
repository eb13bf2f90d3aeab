import { afterEach, describe, expect, it } from 'vitest';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import type { Call, StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionIds,
  actionPayload,
  BOB,
  CHANNEL,
  EVE,
  type Harness,
  isPost,
  type Person,
  startHarness,
  textOf,
} from '../../support/harness.js';

type Json = Record<string, unknown>;
const DECISIONS = 'C0DECIDE';
let h: Harness;
afterEach(async () => {
  await h?.close();
});

const doc = () => h.teamFile() as { decisions: Json[] };
const isCard = (c: Call, n: number) =>
  isPost(c) && JSON.stringify(c.params.blocks ?? []).includes(`"block_id":"adr:${n}"`);

async function decide(title: string, who: Person = ALICE, script = SMALL_TEAM, startTitle = title) {
  const start = h.fake.calls.length;
  const rootTs = await startInterview(h, startTitle);
  await runInterview(h, rootTs, script);
  const card = await waitForCard(h, start);
  const before = h.fake.calls.length;
  await h.interact(actionPayload(h.fake, card, 'decision:accept', who));
  await h.fake.waitFor(
    (c) => c.seq > before && isCard(c, doc()?.decisions?.length ?? 1) && c.params.channel === DECISIONS,
  );
  await h.fake.settle();
  return { rootTs, before };
}

/** Both copies of a record's card as the fake workspace holds them now. */
function copies(n: number): StoredMessage[] {
  const cards = (doc().decisions[n - 1]?.cards ?? []) as { channel: string; ts: string }[];
  return cards.map((c) => h.fake.message(c.channel, c.ts)).filter((m): m is StoredMessage => m !== undefined);
}

const notices = (after: number) =>
  h.fake.calls
    .filter((c) => c.seq > after && isPost(c) && c.params.channel === DECISIONS && !isCard(c, 1) && !isCard(c, 2))
    .map((c) => textOf(c.params));

async function click(card: StoredMessage, action: string, who: Person) {
  const before = h.fake.calls.length;
  await h.interact(actionPayload(h.fake, card, action, who));
  await h.fake.settle();
  return before;
}

describe('status changes: every copy of the card, and a notice in the decisions channel', () => {
  it('deprecate and reopen from either copy update both copies, tell the thread and announce it once each', async () => {
    h = await startHarness();
    await h.command(`config channel ${DECISIONS}`);
    await h.fake.waitFor((c) => c.method === 'response_url');
    const { rootTs } = await decide('Payments networking');
    const [inThread, inDecisions] = copies(1);
    expect(inThread?.channel).toBe(CHANNEL);
    expect(inDecisions?.channel).toBe(DECISIONS);
    expect(actionIds(inDecisions ?? {})).toEqual(['decision:export', 'decision:reopen', 'decision:deprecate']);

    // Someone from another organisation cannot deprecate it: nothing changes.
    const fileBefore = h.teamFileText();
    await click(inDecisions as StoredMessage, 'decision:deprecate', EVE);
    expect(h.teamFileText()).toBe(fileBefore);

    const before = await click(inDecisions as StoredMessage, 'decision:deprecate', BOB);
    expect(doc().decisions[0]).toMatchObject({ status: 'deprecated' });
    for (const copy of copies(1)) {
      expect(textOf(copy)).toContain('*deprecated*');
      expect(actionIds(copy)).toEqual(['decision:export', 'decision:reopen']);
    }
    const updated = h.fake.calls
      .filter((c) => c.seq > before && c.method === 'chat.update')
      .map((c) => c.params.channel);
    expect(updated.sort()).toEqual([CHANNEL, DECISIONS].sort());
    expect(notices(before)).toEqual([
      expect.stringContaining('*ADR-0001* Payments networking was deprecated by <@U0BOB>.'),
    ]);
    const threadNote = h.fake.calls.find(
      (c) =>
        c.seq > before && isPost(c) && c.params.thread_ts === rootTs && String(c.params.text).includes('deprecated'),
    );
    expect(threadNote).toBeDefined();

    // Reopen from the other copy: both show proposed, and the channel hears it.
    const reopenedAt = await click(copies(1)[0] as StoredMessage, 'decision:reopen', ALICE);
    expect(doc().decisions[0]).toMatchObject({ status: 'proposed' });
    for (const copy of copies(1)) expect(textOf(copy)).toContain('*proposed*');
    expect(notices(reopenedAt)).toEqual([
      expect.stringContaining('*ADR-0001* Payments networking was reopened by <@U0ALICE>: proposed again.'),
    ]);
    expect(h.fake.violations).toEqual([]);
  });

  it('a superseding record updates every copy of the old card and announces the supersede', async () => {
    h = await startHarness();
    await h.command(`config channel ${DECISIONS}`);
    await h.fake.waitFor((c) => c.method === 'response_url');
    await decide('Mesh for payments');
    const before = h.fake.calls.length;
    await decide('Payments, a year on', BOB, { ...SMALL_TEAM }, 'revisit ADR-0001 Payments, a year on');
    expect(doc().decisions[0]).toMatchObject({ status: 'superseded', supersededBy: 2 });
    const old = copies(1);
    expect(old).toHaveLength(2);
    for (const copy of old) {
      expect(textOf(copy)).toContain('*superseded*');
      expect(textOf(copy)).toContain('Superseded by *ADR-0002* Payments, a year on');
      expect(actionIds(copy)).toEqual(['decision:export']);
    }
    expect(notices(before)).toEqual([
      expect.stringContaining('*ADR-0001* Mesh for payments is superseded by *ADR-0002* Payments, a year on.'),
    ]);
    expect(h.fake.violations).toEqual([]);
  });
});
