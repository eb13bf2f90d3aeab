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
  EVE,
  type Harness,
  isPost,
  type Person,
  startHarness,
  textOf,
} from '../../support/harness.js';

type Json = Record<string, unknown>;
let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** The bot's clock: the test moves it to make working days and the deadline pass. */
let clock = 0;
const now = () => new Date(clock);
const at = (iso: string) => {
  clock = Date.parse(iso);
};

const doc = (): TeamDoc => TeamDoc.parse(h.teamFile());
const isNudge = (c: Call) =>
  isPost(c) && (c.params.metadata as Json | undefined)?.event_type === 'mesh_help_deadline_nudge';

async function command(text: string, who: Person = ALICE) {
  const before = h.fake.calls.length;
  await h.command(text, who);
  return h.fake.waitFor((c) => c.seq > before && c.method === 'response_url', 5000, text);
}

/** A restart runs one round of reminders and deadlines at start. */
async function nextRound(): Promise<number> {
  const before = h.fake.calls.length;
  h = await h.restart();
  await h.idle();
  return before;
}

/** Clicks "Set a deadline" and returns the modal Slack was asked to open. */
async function openModal(card: StoredMessage, who: Person): Promise<Json> {
  const before = h.fake.calls.length;
  await h.interact(actionPayload(h.fake, card, 'deadline:open', who));
  const open = await h.fake.waitFor((c) => c.seq > before && c.method === 'views.open', 5000, 'the deadline modal');
  return open.params.view as Json;
}

const submit = (view: Json, who: Person, days: string | null, date: string | null) =>
  h.interact({
    type: 'view_submission',
    team: { id: who.team },
    user: { id: who.id, team_id: who.team },
    api_app_id: 'A0MESH',
    view: {
      id: 'V7',
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: {
        values: {
          'deadline:days': { days: { type: 'plain_text_input', value: days } },
          'deadline:date': { date: { type: 'datepicker', selected_date: date } },
        },
      },
    },
  });

async function approve(card: StoredMessage, who: Person) {
  const before = h.fake.calls.length;
  await h.interact(actionPayload(h.fake, card, 'decision:approve', who));
  await h.fake.waitFor((c) => c.seq > before && c.method === 'chat.update');
  await h.idle();
}

describe('a deadline per record from its card, and required approvers by name', () => {
  it('config approvers is governed; the card’s modal sets working days; reminders name the required approvers; quorum is them', async () => {
    at('2026-11-20T09:00:00Z'); // a Friday
    h = await startHarness({ now });
    // Bob is no admin and no owner: refused, nothing written.
    const refused = await command(`config approvers <@${ALICE.id}> <@${BOB.id}>`, BOB);
    expect(String(refused.params.text)).toContain('Nothing was changed');
    expect(h.teamFile()).toBeUndefined();
    const bad = await command('config approvers alice');
    expect(String(bad.params.text)).toContain('Mention each one with @');
    const set = await command(`config approvers <@${ALICE.id}> <@${BOB.id}>`);
    expect(String(set.params.text)).toContain('needs the approval of <@U0ALICE>, <@U0BOB>');
    expect(doc().config.approvers).toEqual([ALICE.id, BOB.id]);
    expect(doc().config.history?.at(-1)).toMatchObject({ setting: 'required approvers', to: 'U0ALICE U0BOB' });

    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    await h.idle();
    expect(actionIds(card)).toContain('deadline:open');
    expect(actionIds(card)).toContain('decision:approve');
    // The card says nothing about a deadline until one is set (issue #17: short cards), and names the approvers.
    expect(textOf(card)).not.toContain('Decide by');
    expect(textOf(card)).toContain('Required approvers: <@U0ALICE>, <@U0BOB>.');
    expect(doc().sessions[0]?.deadline).toBeUndefined();

    // Someone of another organisation gets no modal; bad input changes nothing.
    const seq = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, card, 'deadline:open', EVE));
    await h.idle();
    expect(h.fake.calls.filter((c) => c.seq > seq && c.method === 'views.open')).toEqual([]);
    const view = await openModal(card, BOB);
    expect(view.callback_id).toBe('deadline:set');
    const file = h.teamFileText();
    for (const [days, date, says] of [
      [null, null, 'Give a number of working days, or pick a date'],
      ['0', null, 'from 1 to 60'],
      ['5', '2026-12-01', 'not both'],
      [null, '2026-11-19', 'from today on'],
    ] as const) {
      const res = await submit(view, BOB, days, date);
      expect(JSON.stringify(await res.json())).toContain(says);
    }
    const forged = await submit(view, EVE, '2', null);
    expect(JSON.stringify(await forged.json())).toContain('another organisation');
    expect(h.teamFileText()).toBe(file);

    // Two working days from Friday 09:00 is Tuesday 09:00.
    const before = h.fake.calls.length;
    expect((await submit(view, BOB, '2', null)).status).toBe(200);
    await h.fake.waitFor((c) => c.seq > before && c.method === 'chat.update' && c.params.ts === card.ts);
    await h.idle();
    expect(doc().sessions[0]).toMatchObject({ deadline: '2026-11-24T09:00:00.000Z', status: 'complete' });
    expect(textOf(h.fake.message(CHANNEL, card.ts) ?? {})).toContain(
      'Decide by <!date^1795510800^{date_short_pretty} at {time}|Tue, 24 Nov 2026, 09:00 UTC>',
    );
    expect(textOf(h.fake.message(CHANNEL, rootTs) ?? {})).toContain(
      'Decide by <!date^1795510800^{date_short_pretty} at {time}|Tue, 24 Nov 2026, 09:00 UTC>',
    );
    const note = h.fake.calls.find((c) => c.seq > before && isPost(c) && c.params.thread_ts === rootTs);
    expect(String(note?.params.text)).toContain(
      '<@U0BOB> set a deadline: decide by <!date^1795510800^{date_short_pretty} at {time}|Tue, 24 Nov 2026, 09:00 UTC>',
    );

    // Bob approves; accepting still waits for Alice, a required approver.
    await approve(h.fake.message(CHANNEL, card.ts) ?? card, BOB);
    const early = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, h.fake.message(CHANNEL, card.ts) ?? card, 'decision:accept', BOB));
    const wait = await h.fake.waitFor(
      (c) => c.seq > early && (c.method === 'response_url' || c.method === 'chat.postEphemeral'),
    );
    expect(String(wait.params.text)).toContain('1 so far, 1 more needed');
    expect(doc().decisions).toEqual([]);

    at('2026-11-23T10:00:00Z'); // Monday: one reminder naming only Alice, not twice across restarts
    await nextRound();
    at('2026-11-23T11:00:00Z');
    await nextRound();
    const nudges = h.fake.calls.filter(isNudge);
    expect(nudges).toHaveLength(1);
    expect(nudges[0]?.params.thread_ts).toBe(rootTs);
    expect(textOf(nudges[0]?.params ?? {})).toContain(
      'Decide by <!date^1795510800^{date_short_pretty} at {time}|Tue, 24 Nov 2026, 09:00 UTC>: waiting for the required approval of <@U0ALICE>.',
    );
    expect(textOf(nudges[0]?.params ?? {})).not.toContain('<@U0BOB>');

    // Alice approves; at the deadline the recommendation is accepted.
    await approve(h.fake.message(CHANNEL, card.ts) ?? card, ALICE);
    at('2026-11-24T09:30:00Z');
    await nextRound();
    expect(doc().decisions[0]).toMatchObject({ number: 1, status: 'accepted', decidedBy: 'mesh-help' });
    expect(
      doc()
        .decisions[0]?.approvals.map((a) => a.by)
        .sort(),
    ).toEqual([ALICE.id, BOB.id].sort());
    expect(h.fake.violations).toEqual([]);
  });

  it('without the required approvers at the deadline the recommendation expires, even when the count rule is met', async () => {
    at('2026-11-24T09:00:00Z'); // a Tuesday
    h = await startHarness({ now });
    await command('config approvals 1');
    await command(`config approvers <@${ALICE.id}>`);
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    await h.idle();
    const view = await openModal(card, BOB);
    const before = h.fake.calls.length;
    await submit(view, BOB, null, '2026-11-25');
    await h.fake.waitFor((c) => c.seq > before && c.method === 'chat.update' && c.params.ts === card.ts);
    expect(doc().sessions[0]?.deadline).toBe('2026-11-25T23:59:00.000Z');
    await approve(h.fake.message(CHANNEL, card.ts) ?? card, BOB);
    at('2026-11-26T08:00:00Z');
    await nextRound();
    expect(doc().sessions[0]).toMatchObject({
      status: 'abandoned',
      expiredReason: '1 approval was still missing. Start a new interview to decide again.',
    });
    expect(doc().decisions).toEqual([]);
  });
  it('working days and dates from the modal are the person’s own (users.info tz); channel dates fall back to the team’s zone', async () => {
    at('2026-11-27T20:00:00Z'); // Friday evening in UTC, Saturday morning in Auckland
    h = await startHarness({ now });
    h.fake.zones.set(BOB.id, 'Pacific/Auckland');
    const zone = await command('config timezone Europe/Berlin');
    expect(String(zone.params.text)).toContain('now follow Europe/Berlin');
    expect(doc().config.timezone).toBe('Europe/Berlin');
    const wrong = await command('config timezone Mars/Base');
    expect(String(wrong.params.text)).toContain('IANA name');
    expect(doc().config.timezone).toBe('Europe/Berlin');

    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    await h.idle();
    // Bob, in Auckland, gives one working day: Monday at the same time there (Sunday 20:00 UTC), not Monday in UTC.
    const before = h.fake.calls.length;
    expect((await submit(await openModal(card, BOB), BOB, '1', null)).status).toBe(200);
    await h.fake.waitFor((c) => c.seq > before && c.method === 'chat.update' && c.params.ts === card.ts);
    await h.idle();
    expect(doc().sessions[0]?.deadline).toBe('2026-11-29T20:00:00.000Z');
    // Each reader sees it in their own zone (Slack's date token); the fallback is the team's, Berlin.
    const shown = textOf(h.fake.message(CHANNEL, rootTs) ?? {});
    expect(shown).toContain(`<!date^${Date.parse('2026-11-29T20:00:00Z') / 1000}^`);
    expect(shown).toContain('|Sun, 29 Nov 2026, 21:00 CET>');

    // A date is the end of that day where Bob is.
    const again = h.fake.calls.length;
    expect((await submit(await openModal(card, BOB), BOB, null, '2026-12-02')).status).toBe(200);
    await h.fake.waitFor((c) => c.seq > again && c.method === 'chat.update' && c.params.ts === card.ts);
    await h.idle();
    expect(doc().sessions[0]?.deadline).toBe('2026-12-02T10:59:00.000Z');
    expect(h.fake.violations).toEqual([]);
  });
});
