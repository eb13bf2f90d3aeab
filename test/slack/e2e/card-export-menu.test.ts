import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import type { Call, StoredMessage } from '../../support/fake-slack.js';
import { fakeGitHub, paths, readsBeforeFirstExport, writesOneCommit } from '../../support/github.js';
import {
  ALICE,
  actionIds,
  actionPayload,
  BOB,
  CHANNEL,
  EVE,
  type Harness,
  type Person,
  selectPayload,
  startHarness,
} from '../../support/harness.js';

const TOKEN = 'ghp_cardmenutesttoken0123456789NOTREAL';
let h: Harness;
beforeEach(() => {
  nock.disableNetConnect();
  // The app and the fake Slack talk over loopback; only GitHub is faked by nock.
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});
afterEach(async () => {
  await h?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

async function command(text: string) {
  const before = h.fake.calls.length;
  await h.command(text);
  return h.fake.waitFor((c) => c.seq > before && c.method === 'response_url', 5000, text);
}

/** An accepted record's decision card, as it stands in the thread. */
async function decisionCard(): Promise<StoredMessage> {
  const rootTs = await startInterview(h, 'Payments networking');
  await runInterview(h, rootTs, SMALL_TEAM);
  const card = await waitForCard(h);
  const before = h.fake.calls.length;
  await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
  await h.fake.waitFor(
    (c) => c.seq > before && c.method === 'chat.postMessage' && JSON.stringify(c.params.blocks).includes('"adr:1"'),
  );
  await h.idle();
  const cards = ((h.teamFile() as { decisions: { cards?: { channel: string; ts: string }[] }[] }).decisions[0]?.cards ??
    []) as { channel: string; ts: string }[];
  const msg = cards[0] ? h.fake.message(cards[0].channel, cards[0].ts) : undefined;
  if (!msg) throw new Error('the decision card was not stored');
  return msg;
}

/** Picks an Export menu option as `who` and returns the private reply. */
async function pick(card: StoredMessage, prefix: 'upload' | 'pr', who: Person): Promise<Call> {
  const before = h.fake.calls.length;
  expect((await h.interact(selectPayload(h.fake, card, 'decision:export-menu', prefix, who))).status).toBe(200);
  const reply = await h.fake.waitFor(
    (c) => c.seq > before && (c.method === 'response_url' || c.method === 'chat.postEphemeral'),
    10_000,
    `the reply to ${prefix}`,
  );
  await h.idle();
  return reply;
}

describe('the decision card’s Export menu (real app, signed requests, nock for GitHub)', () => {
  it('opens a pull request like /mesh-help export pr, says how to configure a repository first, and refuses other organisations', async () => {
    h = await startHarness({ env: { GITHUB_TOKEN: TOKEN } });
    const card = await decisionCard();
    expect(actionIds(card)[0]).toBe('decision:export-menu');

    // No repository yet: the person is told how to set one; nothing is written.
    const file = h.teamFileText();
    const unset = await pick(card, 'pr', BOB);
    expect(String(unset.params.text)).toContain('config repo OWNER/REPO [folder]');
    expect(h.teamFileText()).toBe(file);

    await command('config repo acme/platform docs/adr');
    // Someone of another organisation in a shared channel cannot publish this team's log (nock lets no call out).
    const foreign = await pick(card, 'pr', EVE);
    expect(String(foreign.params.text)).toContain('Only people of the record’s own team can export its log');

    const gh = fakeGitHub();
    writesOneCommit(gh, readsBeforeFirstExport(gh, 'docs/adr'))
      .post(gh.at(paths.createPull))
      .reply(201, { number: 12, html_url: 'https://github.com/acme/platform/pull/12' });
    const opened = await pick(card, 'pr', BOB);
    expect(String(opened.params.text)).toBe(
      ':arrow_heading_up: Opened <https://github.com/acme/platform/pull/12|acme/platform#12>: 1 new record.',
    );
    expect(gh.scope.isDone()).toBe(true);
    expect(h.teamFileText()).not.toContain(TOKEN);
    expect(JSON.stringify(h.fake.calls)).not.toContain(TOKEN);
    expect(h.fake.violations).toEqual([]);
  });

  it('"Upload the ADR here" uploads the record’s MADR file into its thread, for anyone who sees the card', async () => {
    h = await startHarness();
    const card = await decisionCard();
    const before = h.fake.calls.length;
    await h.interact(selectPayload(h.fake, card, 'decision:export-menu', 'upload', EVE));
    const done = await h.fake.waitFor((c) => c.seq > before && c.method === 'files.completeUploadExternal');
    const asked = h.fake.calls.find((c) => c.seq > before && c.method === 'files.getUploadURLExternal');
    expect(String(asked?.params.filename)).toBe('0001-payments-networking.md');
    expect(done.params.channel_id).toBe(CHANNEL);
    expect(h.fake.violations).toEqual([]);
  });
});
