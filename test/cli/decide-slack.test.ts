import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../support/driver.js';
import type { StoredMessage } from '../support/fake-slack.js';
import {
  ALICE,
  actionIds,
  actionPayload,
  BOB,
  BOT_TOKEN,
  CHANNEL,
  type Harness,
  HOME_TEAM,
  isPost,
  startHarness,
  textOf,
} from '../support/harness.js';

/**
 * The terminal decides a record made through Slack: the built CLI (dist/, a
 * real process) runs `mesh-help decide` on the bot's store, and Slack shows
 * the new status the next time the bot shows the record.
 */
const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/mesh-help.js');
const DECISIONS = 'C0DECIDE';
type Json = Record<string, unknown>;

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const doc = () => h.teamFile() as { decisions: Json[]; sessions: Json[] };

/** Every posted copy of a record's decision card, as the fake workspace holds it now. */
function copies(n: number): StoredMessage[] {
  const cards = (doc().decisions[n - 1]?.cards ?? []) as { channel: string; ts: string }[];
  return cards.map((c) => h.fake.message(c.channel, c.ts)).filter((m): m is StoredMessage => m !== undefined);
}

async function click(card: StoredMessage, action: string) {
  await h.interact(actionPayload(h.fake, card, action, BOB));
  await h.idle();
}

/** `mesh-help ARGS` from the built dist/ in its own process, on the bot's data folder. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, MESH_HELP_DATA_DIR: h.dataDir, ...env };
  return exec(process.execPath, [BIN, ...args], { env: base }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

/** A record accepted in Slack, with its card in the thread and a one-line notice in the decisions channel. */
async function acceptedInSlack(): Promise<void> {
  await h.command(`config channel ${DECISIONS}`);
  await h.fake.waitFor((c) => c.method === 'response_url');
  const start = h.fake.calls.length;
  const rootTs = await startInterview(h, 'Payments networking');
  await runInterview(h, rootTs, SMALL_TEAM);
  const card = await waitForCard(h, start);
  await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
  await h.fake.waitFor((c) => isPost(c) && c.params.channel === DECISIONS);
  await h.idle();
  expect(copies(1)).toHaveLength(1);
}

describe('mesh-help decide on a record made through Slack', () => {
  it('accept and reject from the terminal change every copy of the Slack card and tell the decisions channel', async () => {
    h = await startHarness();
    await acceptedInSlack();
    const slack = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: h.fake.apiUrl };

    // Reopened in Slack: the record is proposed again and its card offers Reject.
    await click(copies(1)[0] as StoredMessage, 'decision:reopen');
    for (const copy of copies(1)) expect(textOf(copy)).toContain('*proposed*');

    const accepted = await cli(['decide', 'accept', 'ADR-0001', '--team', HOME_TEAM, '--by', 'grace'], slack);
    expect(accepted.stderr).toBe('');
    expect(accepted).toMatchObject({ code: 0 });
    expect(accepted.stdout).toContain('ADR-0001 "Payments networking" is accepted, by grace.');
    await h.idle();
    expect(doc().decisions[0]).toMatchObject({ status: 'accepted', decidedByName: 'grace' });
    expect(doc().sessions[0]).toMatchObject({ status: 'decided' });
    for (const copy of copies(1)) {
      expect(textOf(copy)).toContain('*accepted*');
      expect(actionIds(copy)).toContain('decision:deprecate');
    }
    const announced = (text: string) =>
      h.fake.calls.some((c) => isPost(c) && c.params.channel === DECISIONS && textOf(c.params).includes(text));
    expect(announced('*ADR-0001* Payments networking was accepted by grace.')).toBe(true);

    // Reopen in Slack again, then reject from the terminal: the cards show it, and the card loses Reject.
    await click(copies(1)[0] as StoredMessage, 'decision:reopen');
    const rejected = await cli(['decide', 'reject', 'adr-1', '--team', HOME_TEAM, '--by', 'grace'], slack);
    expect(rejected).toMatchObject({ code: 0 });
    await h.idle();
    expect(doc().decisions[0]).toMatchObject({ status: 'rejected' });
    for (const copy of copies(1)) {
      expect(textOf(copy)).toContain('*rejected*');
      expect(actionIds(copy)).not.toContain('decision:reject');
    }
    expect(announced('*ADR-0001* Payments networking was rejected by grace.')).toBe(true);

    // A refused change (rejected → accepted) exits 2, saying why, and changes nothing.
    const file = h.teamFileText();
    const calls = h.fake.calls.length;
    const refused = await cli(['decide', 'accept', '1', '--team', HOME_TEAM], slack);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toContain('ADR-0001 is rejected; only a proposed record can be accepted.');
    expect(h.teamFileText()).toBe(file);
    expect(h.fake.calls.length).toBe(calls);
    expect(h.fake.violations).toEqual([]);
  });

  it('without the bot token, Slack shows the terminal’s decision the next time it shows the record (App Home)', async () => {
    h = await startHarness();
    await acceptedInSlack();
    await click(copies(1)[0] as StoredMessage, 'decision:reopen');
    const calls = h.fake.calls.length;
    const accepted = await cli(['decide', 'accept', 'ADR-1', '--team', HOME_TEAM, '--by', 'grace']);
    expect(accepted).toMatchObject({ code: 0 });
    expect(accepted.stderr).toContain('Slack was not told (no SLACK_BOT_TOKEN)');
    expect(h.fake.calls.length).toBe(calls);

    await h.event({ type: 'app_home_opened', user: ALICE.id, channel: 'D0HOME', tab: 'home' });
    const home = await h.fake.waitFor((c) => c.seq > calls && c.method === 'views.publish');
    const line = textOf(home.params.view as Json)
      .split('\n')
      .find((l) => l.includes('Payments networking'));
    expect(line).toMatch(/accepted/);
    expect(line).not.toMatch(/proposed/);
    // The interview's card stopped taking decisions: Accept there is refused as already decided.
    const card = h.fake.message(CHANNEL, String(doc().sessions[0]?.cardTs));
    const before = h.teamFileText();
    await h.interact(actionPayload(h.fake, card as StoredMessage, 'decision:accept', BOB));
    await h.idle();
    expect(h.teamFileText()).toBe(before);
  });
});
