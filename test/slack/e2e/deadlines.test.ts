import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TeamDoc } from '../../../src/store/index.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import type { Call, StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionIds,
  actionPayload,
  BOB,
  CHANNEL,
  type Harness,
  isPost,
  startHarness,
  textOf,
} from '../../support/harness.js';

type Json = Record<string, unknown>;
let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** The bot's clock: tests move it to make days and deadlines pass. */
let clock = 0;
const now = () => new Date(clock);
const at = (iso: string) => {
  clock = Date.parse(iso);
};

const doc = (): TeamDoc => TeamDoc.parse(h.teamFile());
const isNudge = (c: Call) =>
  isPost(c) && (c.params.metadata as Json | undefined)?.event_type === 'mesh_help_deadline_nudge';

async function command(text: string) {
  const before = h.fake.calls.length;
  await h.command(text);
  return h.fake.waitFor((c) => c.seq > before && c.method === 'response_url', 5000, text);
}

/** Config, then an interview to its recommendation card at the current clock. */
async function recommendation(config: string[]): Promise<{ rootTs: string; card: StoredMessage }> {
  for (const c of config) await command(c);
  const rootTs = await startInterview(h);
  await runInterview(h, rootTs, SMALL_TEAM);
  const card = await waitForCard(h);
  await h.idle();
  return { rootTs, card };
}

/** A restart runs one round of reminders and deadlines at start; resolves once it has done its calls. */
async function nextRound(): Promise<number> {
  const before = h.fake.calls.length;
  h = await h.restart();
  await h.idle();
  return before;
}

describe('deadlines (real app, signed requests, a clock the test moves)', () => {
  it('reminds once a working day (not at the weekend, not twice across restarts), then expires without quorum', async () => {
    at('2026-11-20T09:00:00Z'); // a Friday
    h = await startHarness({ now });
    const config = await command('config deadline 3d');
    expect(String(config.params.text)).toContain('within 3 days');
    const { rootTs, card } = await recommendation(['config approvals 1']);
    // The card as someone's screen still shows it after it expires.
    const seen = structuredClone(card);
    expect(doc().sessions[0]).toMatchObject({ deadline: '2026-11-23T09:00:00.000Z', status: 'complete' });
    expect(textOf(h.fake.message(CHANNEL, rootTs) ?? {})).toContain(
      'Decide by <!date^1795424400^{date_short_pretty} at {time}|Mon, 23 Nov 2026, 09:00 UTC>',
    );

    at('2026-11-21T10:00:00Z'); // Saturday
    await nextRound();
    at('2026-11-22T10:00:00Z'); // Sunday
    await nextRound();
    expect(h.fake.calls.filter(isNudge)).toEqual([]);

    at('2026-11-23T08:00:00Z'); // Monday, before the deadline
    await nextRound();
    const nudges = h.fake.calls.filter(isNudge);
    expect(nudges).toHaveLength(1);
    expect(nudges[0]?.params.thread_ts).toBe(rootTs);
    expect(textOf(nudges[0]?.params ?? {})).toContain(
      'Decide by <!date^1795424400^{date_short_pretty} at {time}|Mon, 23 Nov 2026, 09:00 UTC>: 1 more approval needed (<@U0ALICE>',
    );
    at('2026-11-23T08:30:00Z');
    await nextRound();
    expect(h.fake.calls.filter(isNudge)).toHaveLength(1);
    expect(doc().sessions[0]?.nudgedOn).toBe('2026-11-23');

    at('2026-11-23T09:01:00Z'); // past the deadline, still one approval short
    const before = await nextRound();
    const s = doc().sessions[0];
    expect(s).toMatchObject({ status: 'abandoned', expiredAt: '2026-11-23T09:01:00.000Z' });
    expect(s?.expiredReason).toBe('1 approval was still missing. Start a new interview to decide again.');
    expect(doc().decisions).toEqual([]);
    const expiredCard = h.fake.message(CHANNEL, card.ts);
    expect(textOf(expiredCard ?? {})).toContain('The deadline passed: 1 approval was still missing');
    expect(actionIds(expiredCard ?? {})).toEqual([]);
    expect(textOf(h.fake.message(CHANNEL, rootTs) ?? {})).toContain('Expired at its deadline');
    const note = h.fake.calls.find((c) => c.seq > before && isPost(c) && c.params.thread_ts === rootTs);
    expect(String(note?.params.text)).toContain('The deadline passed');

    // A click on the old card is refused with the reason; another round changes nothing.
    const click = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, seen, 'decision:accept', ALICE));
    const refused = await h.fake.waitFor(
      (c) => c.seq > click && (c.method === 'chat.postEphemeral' || c.method === 'response_url'),
    );
    expect(String(refused.params.text)).toContain('This recommendation expired at its deadline');
    const file = h.teamFileText();
    await nextRound();
    expect(h.teamFileText()).toBe(file);
    expect(h.fake.violations).toEqual([]);
  });

  it('accepts at the deadline when enough people approved and no concern is open', async () => {
    at('2026-11-24T09:00:00Z'); // a Tuesday
    h = await startHarness({ now });
    const { rootTs, card } = await recommendation(['config approvals 1', 'config deadline 1d']);
    const approveAt = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, card, 'decision:approve', BOB));
    await h.fake.waitFor((c) => c.seq > approveAt && c.method === 'chat.update');
    await h.idle();

    at('2026-11-24T15:00:00Z'); // same day: no reminder, nothing is missing anyway
    await nextRound();
    expect(h.fake.calls.filter(isNudge)).toEqual([]);

    at('2026-11-25T09:30:00Z');
    const before = await nextRound();
    const [decision] = doc().decisions;
    expect(decision).toMatchObject({ number: 1, status: 'accepted', decidedBy: 'mesh-help' });
    expect(decision?.approvals.map((a) => a.by)).toEqual([BOB.id]);
    expect(doc().sessions[0]?.status).toBe('decided');
    const posted = h.fake.calls.filter((c) => c.seq > before && isPost(c) && c.params.thread_ts === rootTs);
    expect(posted.some((c) => JSON.stringify(c.params.blocks).includes('"adr:1"'))).toBe(true);
    expect(posted.some((c) => String(c.params.text).includes('accepted as *ADR-0001*'))).toBe(true);
  });

  it('an open concern at the deadline lets it expire even with quorum, and says why', async () => {
    at('2026-11-24T09:00:00Z');
    h = await startHarness({ now });
    await recommendation(['config deadline 1d']);
    // A concern raised and left open (through the store's own shape, as the concern modal writes it).
    const raw = h.teamFile() as { sessions: Json[] };
    expect(raw.sessions.length).toBe(1);
    await h.mesh.stop();
    (raw.sessions[0] as Json).concerns = [
      { id: 'c1', by: BOB.id, text: 'What about the egress gateway?', at: '2026-11-24T10:00:00.000Z' },
    ];
    writeFileSync(join(h.dataDir, 'teams', 'T0HOME.json'), JSON.stringify(raw));
    at('2026-11-25T10:00:00Z');
    h = await startHarness({ dataDir: h.dataDir, fake: h.fake, now });
    await h.idle();
    expect(doc().sessions[0]).toMatchObject({
      status: 'abandoned',
      expiredReason: '1 concern was still open. Start a new interview to decide again.',
    });
    expect(doc().decisions).toEqual([]);
  });
});

describe('config deadline', () => {
  it('takes 1 to 60 days or none, and refuses anything else without a change', async () => {
    clock = Date.now();
    h = await startHarness({ now });
    for (const bad of ['config deadline 0d', 'config deadline 61d', 'config deadline soon'])
      expect(String((await command(bad)).params.text)).toContain('A deadline is a number of days from 1 to 60');
    expect(h.teamFile()).toBeUndefined();
    await command('config deadline 5');
    expect(doc().config.deadlineDays).toBe(5);
    const shown = await command('config show');
    expect(textOf(shown.params)).toContain('*Deadline*\\n5 days after the recommendation');
    await command('config deadline none');
    expect(doc().config.deadlineDays).toBeUndefined();
  });
});

describe('silent interviews (config abandon)', () => {
  it('closes an interview nobody touched for 30 days (not before), saying so in its thread, and frees its channel', async () => {
    at('2026-11-02T09:00:00Z');
    h = await startHarness({ now });
    const rootTs = await startInterview(h);
    await h.idle();
    // A second start in the same channel is refused while the first holds its place.
    const refused = await command('start Another try');
    expect(String(refused.params.text)).toContain('is still open in this channel');
    expect(doc().sessions).toHaveLength(1);

    at('2026-11-25T09:00:00Z'); // 23 days on: not yet
    await nextRound();
    expect(doc().sessions[0]?.status).toBe('open');

    at('2026-12-02T09:00:01Z'); // 30 days and a second since anyone touched it
    const before = await nextRound();
    const s = doc().sessions[0];
    expect(s).toMatchObject({ status: 'abandoned', abandonedAt: '2026-12-02T09:00:01.000Z' });
    expect(s?.abandonedReason).toBe('nobody answered or decided for 30 days. Start a new interview to decide again.');
    const notes = h.fake.calls.filter((c) => c.seq > before && isPost(c) && c.params.thread_ts === rootTs);
    expect(notes.map((c) => String(c.params.text))).toEqual([
      expect.stringContaining('Nobody answered or decided for 30 days, so this interview is closed'),
    ]);
    expect(textOf(h.fake.message(CHANNEL, rootTs) ?? {})).toContain('Closed: nobody answered or decided for 30 days');
    // Another round says nothing more, and the channel takes a new interview.
    const file = h.teamFileText();
    await nextRound();
    expect(h.teamFileText()).toBe(file);
    await startInterview(h);
    expect(doc().sessions.map((x) => x.status)).toEqual(['abandoned', 'open']);
    expect(h.fake.violations).toEqual([]);
  });

  it('config abandon takes 1 to 365 days or never; with never, nothing is closed for silence', async () => {
    at('2026-11-02T09:00:00Z');
    h = await startHarness({ now });
    for (const bad of ['config abandon 0', 'config abandon 366d', 'config abandon soon'])
      expect(String((await command(bad)).params.text)).toContain('from 1 to 365');
    expect(h.teamFile()).toBeUndefined();
    expect(String((await command('config abandon never')).params.text)).toContain('stay open');
    expect(doc().config.abandonAfterDays).toBe(0);
    await startInterview(h);
    await h.idle();
    at('2027-06-01T09:00:00Z');
    await nextRound();
    expect(doc().sessions[0]?.status).toBe('open');
    await command('config abandon 7d');
    expect(textOf((await command('config show')).params)).toContain('closed after 7 silent days');
  });
  it('reminds on the team’s working days: with the team in Auckland, Friday evening UTC is its weekend and Sunday evening UTC its Monday', async () => {
    at('2026-11-19T21:00:00Z'); // Friday 10:00 in Auckland
    h = await startHarness({ now });
    await recommendation(['config timezone Pacific/Auckland', 'config deadline 5d', 'config approvals 1']);
    at('2026-11-20T20:00:00Z'); // Friday in UTC, Saturday 09:00 in Auckland: no reminder
    await nextRound();
    at('2026-11-21T20:00:00Z'); // Sunday 09:00 in Auckland
    await nextRound();
    expect(h.fake.calls.filter(isNudge)).toEqual([]);
    at('2026-11-22T20:00:00Z'); // Sunday in UTC, Monday 09:00 in Auckland: a working day there
    await nextRound();
    expect(h.fake.calls.filter(isNudge)).toHaveLength(1);
    expect(doc().sessions[0]?.nudgedOn).toBe('2026-11-23');
    // The reminder's fallback date is written in the team's zone.
    expect(textOf(h.fake.calls.filter(isNudge)[0]?.params ?? {})).toContain('10:00 GMT+13>');
  });
});
