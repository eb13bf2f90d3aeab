import { afterEach, describe, expect, it } from 'vitest';
import { emptyTeam, TeamDoc } from '../../../src/store/index.js';
import type { Call } from '../../support/fake-slack.js';
import { ALICE, BOB, type Harness, HOME_TEAM, type Person, startHarness } from '../../support/harness.js';

type Json = Record<string, unknown>;
let h: Harness;
afterEach(async () => {
  await h?.close();
});

const doc = (): TeamDoc => {
  const file = h.teamFile();
  return file === undefined ? emptyTeam(HOME_TEAM) : TeamDoc.parse(file);
};

/** `/mesh-help config`: resolves with the modal Slack was asked to open. */
async function openFromCommand(who: Person = ALICE): Promise<Json> {
  const before = h.fake.calls.length;
  await h.command('config', who);
  const open = await h.fake.waitFor((c) => c.seq > before && c.method === 'views.open', 5000, 'the settings modal');
  return open.params.view as Json;
}

/** The form's fields as the modal shows them now (its initial values), with `change` applied, as Slack sends them. */
function values(view: Json, change: Record<string, Json> = {}): Json {
  const out: Json = {};
  for (const b of view.blocks as Json[]) {
    if (b.type !== 'input') continue;
    const el = b.element as Json;
    const id = String(b.block_id);
    const action = String(el.action_id);
    const current: Json = { type: el.type };
    if (el.type === 'conversations_select') current.selected_conversation = el.initial_conversation ?? null;
    else if (el.type === 'multi_users_select') current.selected_users = el.initial_users ?? [];
    else if (el.type === 'static_select') current.selected_option = el.initial_option ?? null;
    else current.value = el.initial_value ?? null;
    out[id] = { [action]: { ...current, ...(change[id] ?? {}) } };
  }
  return out;
}

const submit = (view: Json, who: Person, state: Json) =>
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
      state: { values: state },
    },
  });

/** The private summary the person gets in the app's conversation after saving. */
async function summary(before: number, who: Person): Promise<string> {
  const dm = await h.fake.waitFor(
    (c: Call) => c.seq > before && c.method === 'chat.postMessage' && c.params.channel === who.id,
    5000,
    'the settings summary',
  );
  await h.idle();
  return String(dm.params.text);
}

describe('the settings modal (config and App Home), saved through the text commands’ code', () => {
  it('opens from /mesh-help config and from App Home, saves what changed with the same checks, history and governance', async () => {
    h = await startHarness();
    const view = await openFromCommand();
    expect(view.callback_id).toBe('settings:save');
    const blockIds = (view.blocks as Json[]).map((b) => b.block_id).filter(Boolean);
    for (const id of [
      'settings:channel',
      'settings:approvals',
      'settings:deadline',
      'settings:abandon',
      'settings:owners',
      'settings:editors',
    ])
      expect(blockIds).toContain(id);
    expect(h.fake.violations).toEqual([]);

    // A value the text command refuses is refused on its field, and nothing is written.
    const file = h.teamFileText();
    const bad = await submit(view, ALICE, values(view, { 'settings:deadline': { value: '99' } }));
    expect(JSON.stringify(await bad.json())).toMatch(
      /"settings:deadline":"A deadline is a number of days from 1 to 60/,
    );
    expect(h.teamFileText()).toBe(file);

    // An untouched form changes nothing.
    let before = h.fake.calls.length;
    expect((await submit(view, ALICE, values(view))).status).toBe(200);
    expect(await summary(before, ALICE)).toContain('Nothing changed');
    expect(doc().config.history ?? []).toEqual([]);

    // Alice (a workspace admin) changes six settings at once: each is kept in the history, as the commands do.
    before = h.fake.calls.length;
    const saved = await submit(
      view,
      ALICE,
      values(view, {
        'settings:owners': { selected_users: [ALICE.id] },
        'settings:editors': { selected_option: { value: 'owners' } },
        'settings:channel': { selected_conversation: 'C0DECIDE' },
        'settings:approvals': { value: '2' },
        'settings:deadline': { value: '5' },
        'settings:timezone': { value: 'Europe/Berlin' },
      }),
    );
    expect(saved.status).toBe(200);
    const said = await summary(before, ALICE);
    expect(said).toContain('2 approvals');
    expect(said).toContain('within 5 days');
    const config = doc().config;
    expect(config).toMatchObject({
      owners: [ALICE.id],
      editors: 'owners',
      decisionsChannel: 'C0DECIDE',
      approvals: 2,
      deadlineDays: 5,
      timezone: 'Europe/Berlin',
    });
    expect((config.history ?? []).map((c) => c.setting)).toEqual([
      'owners',
      'editors',
      'decisions channel',
      'approvals',
      'deadline',
      'time zone',
    ]);

    // Bob is no owner now: his form is refused by the same rule, and nothing changes.
    const bobs = await openFromCommand(BOB);
    const kept = h.teamFileText();
    before = h.fake.calls.length;
    await submit(bobs, BOB, values(bobs, { 'settings:approvals': { value: '0' } }));
    expect(await summary(before, BOB)).toContain('Only this team’s owners can change these settings');
    expect(h.teamFileText()).toBe(kept);

    // The text commands keep working, and the App Home button opens the same form, showing the saved values.
    await h.command('config approvals 1');
    await h.idle();
    expect(doc().config.approvals).toBe(1);
    before = h.fake.calls.length;
    await h.interact({
      type: 'block_actions',
      api_app_id: 'A0MESH',
      trigger_id: `trigger-home-${Date.now()}`,
      user: { id: ALICE.id, team_id: HOME_TEAM },
      team: { id: HOME_TEAM },
      container: { type: 'view', view_id: 'V0HOME' },
      view: { id: 'V0HOME', type: 'home' },
      actions: [{ type: 'button', action_id: 'home:settings', block_id: 'home', value: 'settings', action_ts: '1' }],
    });
    const fromHome = await h.fake.waitFor(
      (c) => c.seq > before && c.method === 'views.open',
      5000,
      'the modal from Home',
    );
    const shown = values(fromHome.params.view as Json);
    expect(shown['settings:approvals']).toEqual({ approvals: { type: 'number_input', value: '1' } });
    expect(shown['settings:channel']).toMatchObject({ channel: { selected_conversation: 'C0DECIDE' } });
    expect(h.fake.violations).toEqual([]);
  });
});
