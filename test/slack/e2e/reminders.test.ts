import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TeamDoc } from '../../../src/store/index.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import type { Call } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  type Harness,
  HOME_TEAM,
  isPost,
  startHarness,
  textOf,
} from '../../support/harness.js';

type Json = Record<string, unknown>;
const DAY = 86_400_000;

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** The bot's clock: tests move it forward to make a revisit date come. */
let clock = Date.now();
const now = () => new Date(clock);

const isReminder = (c: Call) =>
  isPost(c) && (c.params.metadata as Json | undefined)?.event_type === 'mesh_help_reminder';
const teamFile = () => join(h.dataDir, 'teams', `${HOME_TEAM}.json`);
const doc = (): TeamDoc => TeamDoc.parse(h.teamFile());

/** An interview accepted as ADR-0001 at the current clock; resolves with its thread. */
async function acceptedDecision(): Promise<string> {
  const rootTs = await startInterview(h);
  await runInterview(h, rootTs, SMALL_TEAM);
  const card = await waitForCard(h);
  await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
  const start = Date.now();
  while (!doc().decisions[0]?.revisitOn) {
    if (Date.now() - start > 5000) throw new Error('no decision');
    await new Promise((r) => setTimeout(r, 20));
  }
  await h.idle();
  return rootTs;
}

/** Stops the bot, lets `edit` change the team file as a crash would have left it, and starts a new one. */
async function restartWith(edit: (d: Json) => void): Promise<void> {
  await h.mesh.stop();
  const raw = JSON.parse(readFileSync(teamFile(), 'utf8')) as Json;
  edit(raw);
  writeFileSync(teamFile(), JSON.stringify(raw));
  h = await startHarness({ dataDir: h.dataDir, fake: h.fake, now });
}

const firstDecision = (raw: Json) => (raw.decisions as Json[])[0] as Json;

describe('revisit reminders', () => {
  it('posts a due reminder once in the thread, across two restarts, and its button starts a superseding interview', async () => {
    clock = Date.now();
    h = await startHarness({ now });
    const rootTs = await acceptedDecision();
    const revisitOn = doc().decisions[0]?.revisitOn ?? '';
    expect(revisitOn > new Date(clock).toISOString().slice(0, 10)).toBe(true);
    expect(h.fake.calls.filter(isReminder)).toHaveLength(0);

    // The revisit date passes while the bot is down; it reminds at start.
    clock += 400 * DAY;
    h = await h.restart();
    const posted = await h.fake.waitFor(isReminder, 5000, 'the reminder');
    expect(posted.params.thread_ts).toBe(rootTs);
    expect(posted.params.channel).toBe(CHANNEL);
    expect((posted.params.metadata as Json).event_payload).toEqual({ decision: 1 });
    expect(textOf(posted.params as Json)).toContain('ADR-0001');
    expect(textOf(posted.params as Json)).toContain(revisitOn);
    await h.idle();
    const marked = doc().decisions[0];
    expect(marked?.reminderClaimedAt).toBeDefined();
    expect(marked?.reminderPostedAt).toBe(new Date(clock).toISOString());
    expect(marked?.reminderTs).toBeDefined();

    h = await h.restart();
    await h.idle();
    h = await h.restart();
    await h.idle();
    expect(h.fake.calls.filter(isReminder)).toHaveLength(1);

    // The button starts a follow-up interview in the channel that revisits ADR-0001.
    const reminder = h.fake.message(CHANNEL, marked?.reminderTs ?? '');
    if (!reminder) throw new Error('reminder not stored');
    const before = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, reminder, 'reminder:revisit', BOB));
    const root = await h.fake.waitFor(
      (c) => c.seq > before && isPost(c) && c.params.thread_ts === undefined,
      5000,
      'the follow-up interview',
    );
    expect(textOf(root.params as Json)).toContain('ADR-0001');
    await h.idle();
    expect(doc().sessions.find((s) => s.threadTs !== rootTs)?.revisits).toBe(1);
    // A second click does not start a second follow-up.
    await h.interact(actionPayload(h.fake, reminder, 'reminder:revisit', BOB));
    await h.idle();
    expect(doc().sessions.filter((s) => s.revisits === 1)).toHaveLength(1);
    expect(h.fake.violations).toEqual([]);
  });

  it('does not post again after a restart that came right after the post, before it was marked posted', async () => {
    clock = Date.now();
    h = await startHarness({ now });
    const rootTs = await acceptedDecision();
    clock += 400 * DAY;
    // The process claimed, posted, and stopped before writing reminderPostedAt.
    const claimedAt = new Date(clock - 60_000).toISOString();
    h.fake.messages.set(`${CHANNEL}/1900000000.000001`, {
      channel: CHANNEL,
      ts: '1900000000.000001',
      thread_ts: rootTs,
      text: 'ADR-0001 is due for a revisit.',
      blocks: [],
      metadata: { event_type: 'mesh_help_reminder', event_payload: { decision: 1 } },
    });
    await restartWith((raw) => {
      firstDecision(raw).reminderClaimedAt = claimedAt;
    });
    await h.fake.waitFor((c) => c.method === 'conversations.replies', 5000, 'the thread check');
    await h.idle();
    const check = h.fake.called('conversations.replies')[0];
    expect(check?.params).toMatchObject({ channel: CHANNEL, ts: rootTs, include_all_metadata: true });
    expect(h.fake.calls.filter(isReminder)).toHaveLength(0);
    expect(doc().decisions[0]).toMatchObject({ reminderTs: '1900000000.000001' });
    expect(doc().decisions[0]?.reminderPostedAt).toBeDefined();

    h = await h.restart();
    await h.idle();
    expect(h.fake.calls.filter(isReminder)).toHaveLength(0);
  });

  it('posts once when a claim was left by a process that stopped before posting', async () => {
    clock = Date.now();
    h = await startHarness({ now });
    await acceptedDecision();
    clock += 400 * DAY;
    await restartWith((raw) => {
      firstDecision(raw).reminderClaimedAt = new Date(clock - 60_000).toISOString();
    });
    await h.fake.waitFor(isReminder, 5000, 'the reminder');
    h = await h.restart();
    await h.idle();
    expect(h.fake.calls.filter(isReminder)).toHaveLength(1);
    expect(doc().decisions[0]?.reminderPostedAt).toBeDefined();
  });

  it('a corrupt team file sorted before a team does not stop that team’s reminder', async () => {
    clock = Date.now();
    h = await startHarness({ now });
    const rootTs = await acceptedDecision();
    await h.mesh.stop();
    writeFileSync(join(h.dataDir, 'teams', 'A0BROKEN.json'), '{"not json');
    clock += 400 * DAY;
    h = await startHarness({ dataDir: h.dataDir, fake: h.fake, now });
    const posted = await h.fake.waitFor(isReminder, 5000, 'the reminder after the corrupt team');
    expect(posted.params.thread_ts).toBe(rootTs);
    expect(readFileSync(join(h.dataDir, 'teams', 'A0BROKEN.json'), 'utf8')).toBe('{"not json');
  });
});
