import { afterEach, describe, expect, it } from 'vitest';
import { exportFiles } from '../../../src/adr/index.js';
import { getFlow } from '../../../src/engine/load.js';
import { FOREIGN_TEAM } from '../../../src/slack/notices/outcomes.js';
import { TeamDoc } from '../../../src/store/index.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
import type { StoredMessage } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  EVE,
  type Harness,
  HOME_TEAM,
  type Person,
  startHarness,
  textOf,
} from '../../support/harness.js';

const flow = getFlow();
type Json = Record<string, unknown>;

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const doc = (): TeamDoc => TeamDoc.parse(h.teamFile());

/** Clicks "Raise a concern" and returns the modal the bot opened. */
async function openConcern(card: StoredMessage, who: Person): Promise<Json> {
  const before = h.fake.calls.length;
  expect((await h.interact(actionPayload(h.fake, card, 'concern:raise', who))).status).toBe(200);
  const open = await h.fake.waitFor((c) => c.seq > before && c.method === 'views.open', 5000, 'the concern modal');
  return open.params.view as Json;
}

/** Clicks the resolve button beside one concern (a section accessory). */
function resolvePayload(msg: StoredMessage, id: string, who: Person): Json {
  const block = msg.blocks.find((b) => b.block_id === `concern:${id}`);
  const accessory = block?.accessory as Json | undefined;
  if (!accessory) throw new Error(`no resolve button for ${id}`);
  const click = actionPayload(h.fake, msg, 'concern:raise', who);
  return {
    ...click,
    actions: [{ type: 'button', action_id: accessory.action_id, block_id: block?.block_id, value: accessory.value }],
  };
}

const submit = (view: Json, who: Person, text: string) =>
  h.interact({
    type: 'view_submission',
    team: { id: who.team },
    user: { id: who.id, team_id: who.team },
    api_app_id: 'A0MESH',
    view: {
      id: 'V9',
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values: { 'concern:text': { text: { type: 'plain_text_input', value: text } } } },
    },
  });

/** Waits for the card to be re-rendered with something new in it. */
async function cardUpdate(card: StoredMessage, after: number, contains: string): Promise<StoredMessage> {
  await h.fake.waitFor(
    (c) =>
      c.seq > after &&
      c.method === 'chat.update' &&
      c.params.ts === card.ts &&
      JSON.stringify(c.params.blocks).includes(contains),
    5000,
    `card update with ${contains}`,
  );
  await h.idle();
  const now = h.fake.message(CHANNEL, card.ts);
  if (!now) throw new Error('card gone');
  return now;
}

describe('concerns on the recommendation card', () => {
  it('are raised in a modal, shown on the card until resolved, kept through the decision and written to the ADR', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    expect(textOf(card)).toContain('concern:raise');

    const view = await openConcern(card, BOB);
    expect(view.callback_id).toBe('concern:raise');
    let seq = h.fake.calls.length;
    expect((await submit(view, BOB, 'Nobody on call knows <Envoy> & friends <!channel>')).status).toBe(200);
    let shown = await cardUpdate(card, seq, 'Nobody on call');
    expect(textOf(shown)).toContain('Nobody on call knows &lt;Envoy&gt; &amp; friends &lt;!channel&gt;');
    expect(textOf(shown)).not.toContain('<!channel>');
    const [concern] = doc().sessions[0]?.concerns ?? [];
    expect(concern).toMatchObject({ by: BOB.id, text: 'Nobody on call knows <Envoy> & friends <!channel>' });
    if (!concern) throw new Error('no concern');
    // The decision buttons are untouched; the concern has its own resolve button.
    expect(textOf(shown)).toContain('decision:accept');

    // Someone from another organisation in the shared channel can neither raise nor resolve.
    seq = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, shown, 'concern:raise', EVE));
    await h.interact(resolvePayload(shown, concern.id, EVE));
    const forged = await submit(view, EVE, 'I object from outside');
    expect(JSON.stringify(await forged.json())).toContain('another organisation');
    await h.idle();
    const refusals = h.fake.calls.filter((c) => c.seq > seq && c.method === 'response_url');
    expect(refusals.map((c) => c.params.text)).toEqual([FOREIGN_TEAM, FOREIGN_TEAM]);
    expect(h.fake.calls.filter((c) => c.seq > seq && ['views.open', 'chat.update'].includes(c.method))).toEqual([]);
    expect(doc().sessions[0]?.concerns.map((c) => [c.text, c.resolvedAt])).toEqual([
      ['Nobody on call knows <Envoy> & friends <!channel>', undefined],
    ]);

    // Accepting keeps the open concern on the decided card, now held by the decision.
    seq = h.fake.calls.length;
    await h.interact(actionPayload(h.fake, shown, 'decision:accept', ALICE));
    shown = await cardUpdate(card, seq, 'ADR-0001');
    expect(textOf(shown)).toContain('Nobody on call');
    expect(doc().decisions[0]?.concerns.map((c) => c.id)).toEqual([concern.id]);
    expect(doc().sessions[0]?.concerns).toEqual([]);

    // Alice resolves it: off the card, marked resolved; a second resolve (double click) changes nothing.
    seq = h.fake.calls.length;
    const resolve = resolvePayload(shown, concern.id, ALICE);
    await h.interact(resolve);
    shown = await cardUpdate(card, seq, '1 resolved');
    expect(textOf(shown)).not.toContain('Nobody on call');
    // A second click is a new payload (its own trigger_id), not an exact replay.
    await h.interact({ ...resolve, trigger_id: `${String(resolve.trigger_id)}-2` });
    await h.idle();
    expect(
      h.fake.calls.some((c) => c.seq > seq && String(c.params.text).includes('resolved this concern already')),
    ).toBe(true);
    expect(doc().decisions[0]?.concerns[0]).toMatchObject({ resolvedBy: ALICE.id });

    // A concern raised after the decision stays open on the record.
    seq = h.fake.calls.length;
    await submit(await openConcern(shown, BOB), BOB, 'Revisit once we add a second region');
    await cardUpdate(card, seq, 'second region');

    const final = doc();
    expect(final.decisions[0]?.concerns.map((c) => [c.by, Boolean(c.resolvedAt)])).toEqual([
      [BOB.id, true],
      [BOB.id, false],
    ]);
    const adr = exportFiles(flow, HOME_TEAM, final.decisions)[1]?.content ?? '';
    const info = adr.slice(adr.indexOf('## More Information'));
    expect(info).toContain('- Concerns raised:');
    expect(info).toMatch(
      /Nobody on call knows &lt;Envoy&gt; &amp; friends &lt;!channel&gt; \(resolved by u0alice on \d{4}-\d{2}-\d{2}\)/,
    );
    expect(info).toContain('Revisit once we add a second region (open)');
    expect(h.fake.violations).toEqual([]);
  });
});
