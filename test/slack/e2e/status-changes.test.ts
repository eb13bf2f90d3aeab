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

const doc = () => h.teamFile() as { decisions: Json[]; sessions: Json[] };
const isCard = (c: Call, n: number) =>
  isPost(c) && JSON.stringify(c.params.blocks ?? []).includes(`"block_id":"adr:${n}"`);

async function decide(title: string, who: Person = ALICE, script = SMALL_TEAM, startTitle = title) {
  const start = h.fake.calls.length;
  const rootTs = await startInterview(h, startTitle);
  await runInterview(h, rootTs, script);
  const card = await waitForCard(h, start);
  const before = h.fake.calls.length;
  await h.interact(actionPayload(h.fake, card, 'decision:accept', who));
  // The decisions channel hears of it in one line (issue #17), not through a copy of the card.
  await h.fake.waitFor((c) => c.seq > before && isPost(c) && c.params.channel === DECISIONS);
  await h.idle();
  return { rootTs, before };
}

/** The copies of a record's card as the fake workspace holds them now (the thread's, since issue #17). */
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
  await h.idle();
  return before;
}

describe('status changes: the card in the thread, and a notice in the decisions channel', () => {
  it('deprecate and reopen update the card and the root in place, tell the thread and announce it once each', async () => {
    h = await startHarness();
    await h.command(`config channel ${DECISIONS}`);
    await h.fake.waitFor((c) => c.method === 'response_url');
    const { rootTs } = await decide('Payments networking');
    const [inThread] = copies(1);
    expect(copies(1)).toHaveLength(1);
    expect(inThread?.channel).toBe(CHANNEL);
    expect(actionIds(inThread ?? {})).toEqual(['decision:export-menu', 'decision:reopen', 'decision:deprecate']);
    expect(h.fake.calls.some((c) => isPost(c) && c.params.channel === DECISIONS && isCard(c, 1))).toBe(false);

    // Someone from another organisation cannot deprecate it: nothing changes.
    const fileBefore = h.teamFileText();
    await click(inThread as StoredMessage, 'decision:deprecate', EVE);
    expect(h.teamFileText()).toBe(fileBefore);

    const before = await click(inThread as StoredMessage, 'decision:deprecate', BOB);
    expect(doc().decisions[0]).toMatchObject({ status: 'deprecated' });
    for (const copy of copies(1)) {
      expect(textOf(copy)).toContain('*deprecated*');
      expect(actionIds(copy)).toEqual(['decision:export-menu', 'decision:reopen']);
    }
    const updated = h.fake.calls
      .filter((c) => c.seq > before && c.method === 'chat.update')
      .map((c) => c.params.channel);
    // The card and the channel's root message, both in place; nothing in the decisions channel is edited.
    expect(updated).toEqual([CHANNEL, CHANNEL]);
    const root = h.fake.message(CHANNEL, rootTs);
    expect(textOf(root ?? {})).toContain('is deprecated');
    expect(notices(before)).toEqual([
      expect.stringContaining('*ADR-0001* Payments networking was deprecated by <@U0BOB>.'),
    ]);
    const threadNote = h.fake.calls.find(
      (c) =>
        c.seq > before && isPost(c) && c.params.thread_ts === rootTs && String(c.params.text).includes('deprecated'),
    );
    expect(threadNote).toBeDefined();

    // Reopen: the card shows proposed, and the decisions channel hears it.
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
    expect(old).toHaveLength(1);
    // The old interview's root message in the channel says so, in place.
    const oldRoot = doc().sessions.find((x) => x.decisionNumber === 1);
    const root = h.fake.message(CHANNEL, String(oldRoot?.rootTs ?? oldRoot?.threadTs));
    expect(textOf(root ?? {})).toContain('was superseded by *ADR-0002*');
    for (const copy of old) {
      expect(textOf(copy)).toContain('*superseded*');
      expect(textOf(copy)).toContain('Superseded by *ADR-0002* Payments, a year on');
      expect(actionIds(copy)).toEqual(['decision:export-menu']);
    }
    expect(notices(before)).toEqual([
      expect.stringContaining('*ADR-0002* Payments, a year on was accepted by <@U0BOB>.'),
      expect.stringContaining('*ADR-0001* Mesh for payments is superseded by *ADR-0002* Payments, a year on.'),
    ]);
    expect(h.fake.violations).toEqual([]);
  });

  it('accepting announces it; Reject on a reopened record updates every copy, retires its card and announces it', async () => {
    h = await startHarness();
    await h.command(`config channel ${DECISIONS}`);
    await h.fake.waitFor((c) => c.method === 'response_url');
    const { rootTs, before } = await decide('Payments networking');
    expect(notices(before)).toEqual([
      expect.stringContaining('*ADR-0001* Payments networking was accepted by <@U0ALICE>.'),
    ]);

    // Only a proposed record can be rejected: reopen it first (Reject shows on the card then).
    await click(copies(1)[0] as StoredMessage, 'decision:reopen', BOB);
    for (const copy of copies(1)) expect(actionIds(copy)).toEqual(['decision:export-menu', 'decision:reject']);
    const recCard = doc().sessions;
    const cardTs = String((recCard[0] as Json).cardTs);

    // Another organisation cannot reject it: nothing changes.
    const fileBefore = h.teamFileText();
    await click(copies(1)[0] as StoredMessage, 'decision:reject', EVE);
    expect(h.teamFileText()).toBe(fileBefore);

    // A screen that still shows the proposed card, for a late second click.
    const stale = structuredClone(copies(1)[0] as StoredMessage);
    const rejectedAt = await click(copies(1)[0] as StoredMessage, 'decision:reject', BOB);
    expect(doc().decisions[0]).toMatchObject({ status: 'rejected' });
    for (const copy of copies(1)) {
      expect(textOf(copy)).toContain('*rejected*');
      expect(actionIds(copy)).toEqual(['decision:export-menu', 'decision:reopen']);
    }
    expect(notices(rejectedAt)).toEqual([
      expect.stringContaining('*ADR-0001* Payments networking was rejected by <@U0BOB>.'),
    ]);
    // The reopened interview's recommendation card no longer takes decisions.
    const retired = h.fake.message(CHANNEL, cardTs);
    expect(textOf(retired ?? {})).toContain('rejected *ADR-0001*');
    expect(actionIds(retired ?? {})).toEqual([]);
    expect(doc().sessions[0]).toMatchObject({ status: 'decided' });
    const threadNote = h.fake.calls.find(
      (c) =>
        c.seq > rejectedAt && isPost(c) && c.params.thread_ts === rootTs && String(c.params.text).includes('rejected'),
    );
    expect(threadNote).toBeDefined();
    // A second click changes nothing and says why.
    const again = h.teamFileText();
    const late = await click(stale, 'decision:reject', ALICE);
    expect(h.teamFileText()).toBe(again);
    const refused = h.fake.calls.find(
      (c) => c.seq > late && (c.method === 'response_url' || c.method === 'chat.postEphemeral'),
    );
    expect(String(refused?.params.text)).toContain('ADR-0001 is rejected; only a proposed record can be rejected.');
    expect(h.fake.violations).toEqual([]);
  });

  it('a record of a private channel is never announced in the decisions channel: not its accept, not its deprecation', async () => {
    h = await startHarness();
    await h.command(`config channel ${DECISIONS}`);
    await h.fake.waitFor((c) => c.method === 'response_url');
    h.fake.privateChannels.add(CHANNEL);
    const start = h.fake.calls.length;
    const rootTs = await startInterview(h, 'Quiet payments');
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h, start);
    await click(card, 'decision:accept', ALICE);
    expect(doc().decisions[0]).toMatchObject({ status: 'accepted', privateTo: CHANNEL });
    const [inThread] = copies(1);
    await click(inThread as StoredMessage, 'decision:deprecate', BOB);
    expect(doc().decisions[0]).toMatchObject({ status: 'deprecated' });
    expect(textOf(copies(1)[0] ?? {})).toContain('*deprecated*');
    expect(h.fake.calls.filter((c) => c.seq > start && isPost(c) && c.params.channel === DECISIONS)).toEqual([]);
    expect(h.fake.violations).toEqual([]);
  });
});
