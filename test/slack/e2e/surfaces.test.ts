import { afterEach, describe, expect, it } from 'vitest';
import { checkMessage } from '../../support/block-kit.js';
import { runInterview, SMALL_TEAM, startInterview, waitForCard } from '../../support/driver.js';
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

/** The ack body of a slash command (Bolt writes ack(...) as the HTTP response). */
async function ackOf(res: Response): Promise<Json> {
  expect(res.status).toBe(200);
  const text = await res.text();
  return text ? (JSON.parse(text) as Json) : {};
}

describe('/mesh-help commands', () => {
  it('alone: an ephemeral menu with start, compare, decisions, export and help', async () => {
    h = await startHarness();
    const ack = await ackOf(await h.command(''));
    expect(ack.response_type).toBe('ephemeral');
    expect(actionIds(ack)).toEqual(['menu:start', 'menu:compare', 'menu:decisions', 'menu:export', 'menu:help']);
    expect(checkMessage(ack)).toEqual([]);
  });

  it('an unknown subcommand answers with help and a "did you mean"', async () => {
    h = await startHarness();
    const ack = await ackOf(await h.command('strat my title'));
    expect(ack.response_type).toBe('ephemeral');
    expect(textOf(ack)).toContain('Did you mean `/mesh-help start`?');
    expect(textOf(ack)).toContain('/mesh-help compare');
    expect(checkMessage(ack)).toEqual([]);
  });

  it('help is ephemeral and lists every subcommand', async () => {
    h = await startHarness();
    const ack = await ackOf(await h.command('help'));
    expect(ack.response_type).toBe('ephemeral');
    for (const sub of ['start', 'compare', 'decisions', 'export', 'config', 'resume', 'help'])
      expect(textOf(ack)).toContain(`/mesh-help ${sub}`);
    // A short list, one command a line, not a paragraph of code spans.
    const list = ((ack.blocks as { text?: { text: string } }[])[1]?.text?.text ?? '').split('\n');
    expect(list.length).toBeLessThanOrEqual(8);
    for (const line of list) {
      expect(line.length, line).toBeLessThanOrEqual(80);
      expect(line.split('`').length - 1, line).toBe(2);
    }
  });

  it('compare answers privately with the named patterns side by side, and Share in channel posts it for everyone', async () => {
    h = await startHarness();
    const ack = await ackOf(await h.command('compare service-mesh cluster-mesh', BOB));
    // Issue #17: private first; the channel sees it only when someone shares it.
    expect(ack.response_type).toBe('ephemeral');
    const blocks = (ack.blocks ?? []) as Json[];
    const share = blocks.flatMap((b) => (b.elements ?? []) as Json[]).find((e) => e.action_id === 'compare:share');
    expect(share).toMatchObject({ type: 'button', value: 'service-mesh,cluster-mesh' });
    expect(share?.style).toBeUndefined();
    const before = h.fake.calls.length;
    const res = await h.interact({
      type: 'block_actions',
      api_app_id: 'A0MESH',
      token: 'deprecated-verification-token',
      user: { id: BOB.id, team_id: BOB.team },
      team: { id: BOB.team },
      channel: { id: CHANNEL },
      container: { type: 'message', channel_id: CHANNEL, is_ephemeral: true, message_ts: '1700000000.000001' },
      actions: [{ type: 'button', action_id: 'compare:share', block_id: 'compare', value: String(share?.value) }],
      response_url: h.fake.responseUrl(),
    });
    expect(res.status).toBe(200);
    await h.idle();
    const replies = h.fake.calls.filter((c) => c.seq > before && c.method === 'response_url');
    expect(replies.map((c) => c.params.response_type ?? (c.params.delete_original ? 'delete' : '?'))).toEqual([
      'in_channel',
      'delete',
    ]);
    const shared = replies[0]?.params ?? {};
    expect(textOf(shared)).toContain('Compare: Service mesh vs Cluster mesh');
    expect(textOf(shared)).toContain('Shared by <@U0BOB>');
    expect(textOf(shared)).not.toContain('compare:share');
    expect(checkMessage(shared)).toEqual([]);
    // A forged value naming no known pattern shares nothing.
    const forged = h.fake.calls.length;
    await h.interact({
      type: 'block_actions',
      user: { id: BOB.id, team_id: BOB.team },
      team: { id: BOB.team },
      actions: [{ type: 'button', action_id: 'compare:share', value: '<!channel>' }],
      response_url: h.fake.responseUrl(),
    });
    await h.idle();
    expect(h.fake.calls.filter((c) => c.seq > forged && c.method === 'response_url')).toEqual([]);
    const text = textOf(ack);
    expect(text).toContain('Compare: Service mesh vs Cluster mesh');
    for (const word of ['Shines when', 'Not when', 'Pros', 'Cons', 'Example tools', 'Istio'])
      expect(text).toContain(word);
    expect(text).not.toContain('Federation');
    expect(checkMessage(ack)).toEqual([]);
    const all = await ackOf(await h.command('compare'));
    expect(checkMessage(all)).toEqual([]);
    expect(textOf(all)).toContain('All patterns side by side');
  });

  it('compare with an unknown pattern answers privately with a suggestion', async () => {
    h = await startHarness();
    const ack = await ackOf(await h.command('compare servicemesh'));
    expect(ack.response_type).toBe('ephemeral');
    expect(textOf(ack)).toContain('did you mean `service-mesh`');
  });

  it('export with no decisions yet says so privately and uploads nothing (uploads: decisions.test.ts)', async () => {
    h = await startHarness();
    const res = await h.command('export');
    expect(res.status).toBe(200);
    const note = await h.fake.waitFor((c) => c.method === 'response_url');
    expect(note.params.response_type).toBe('ephemeral');
    expect(textOf(note.params)).toContain('No decisions to export yet');
    await h.idle();
    expect(h.fake.called('files.getUploadURLExternal')).toEqual([]);
  });

  it('start is acknowledged at once and the work follows', async () => {
    h = await startHarness();
    const t0 = Date.now();
    const res = await h.command('start Quick ack');
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await res.text()).toBe('');
    await h.fake.waitFor((c) => isPost(c) && typeof c.params.thread_ts === 'string');
  });

  it('start in a channel the bot is not in says how to invite it, and stores nothing', async () => {
    h = await startHarness();
    h.fake.failNext('chat.postMessage', 'not_in_channel');
    await h.command('start Somewhere else');
    const note = await h.fake.waitFor((c) => c.method === 'response_url');
    expect(note.params.response_type).toBe('ephemeral');
    expect(String(note.params.text)).toContain('/invite @mesh-help');
    await h.idle();
    // The place reserved before posting was given back: no interview is stored.
    expect(h.teamFile()?.sessions ?? []).toEqual([]);
  });

  it('decisions lists the team log privately', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h, 'First decision');
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
    await h.idle();
    await startInterview(h, 'Still open');
    const calls = h.fake.calls.length;
    await h.command('decisions', BOB);
    const note = await h.fake.waitFor((c) => c.seq > calls && c.method === 'response_url');
    expect(note.params.response_type).toBe('ephemeral');
    const text = textOf(note.params);
    expect(text).toContain('ADR-0001');
    expect(text).toContain('First decision');
    expect(text).toContain('accepted');
    expect(text).toContain('Still open');
    expect(h.fake.violations).toEqual([]);
  });
});

describe('App Home and modals', () => {
  it('opening App Home publishes open interviews, the decision log and a start button', async () => {
    h = await startHarness();
    await startInterview(h, 'Home visible');
    const res = await h.event({ type: 'app_home_opened', user: ALICE.id, channel: 'D0HOME', tab: 'home' });
    expect(res.status).toBe(200);
    const call = await h.fake.waitFor((c) => c.method === 'views.publish');
    expect(call.params.user_id).toBe(ALICE.id);
    const view = call.params.view as Json;
    expect(view.type).toBe('home');
    expect(actionIds(view)).toContain('home:start');
    expect(textOf(view)).toContain('Home visible');
    expect(textOf(view)).toContain('Decision log');
    expect(h.fake.violations).toEqual([]);
  });

  it('the Home start button opens a modal whose submission starts an interview in the chosen channel', async () => {
    h = await startHarness();
    await h.event({ type: 'app_home_opened', user: ALICE.id, channel: 'D0HOME', tab: 'home' });
    const publish = await h.fake.waitFor((c) => c.method === 'views.publish');
    const home = {
      channel: 'D0HOME',
      ts: '1690000000.000001',
      text: 'home',
      blocks: (publish.params.view as Json).blocks as Json[],
    };
    const click = actionPayload(h.fake, home, 'home:start', ALICE);
    delete click.container;
    delete click.message;
    await h.interact({ ...click, container: { type: 'view', view_id: 'V1' } });
    const open = await h.fake.waitFor((c) => c.method === 'views.open');
    const modal = open.params.view as Json;
    expect(modal.callback_id).toBe('interview:start');
    await h.interact({
      type: 'view_submission',
      team: { id: 'T0HOME' },
      user: { id: ALICE.id, team_id: 'T0HOME' },
      api_app_id: 'A0MESH',
      view: {
        id: 'V1',
        type: 'modal',
        callback_id: 'interview:start',
        private_metadata: '',
        state: {
          values: {
            'start:channel': { channel: { type: 'conversations_select', selected_conversation: 'C0OTHER' } },
            'start:title': { title: { type: 'plain_text_input', value: 'From home' } },
          },
        },
      },
    });
    const root = await h.fake.waitFor(
      (c) => isPost(c) && c.params.channel === 'C0OTHER' && c.params.thread_ts === undefined,
    );
    expect(String(root.params.text)).toContain('From home');
    await h.fake.waitFor((c) => isPost(c) && c.params.channel === 'C0OTHER' && typeof c.params.thread_ts === 'string');
    expect(h.fake.violations).toEqual([]);
  });

  it('"record a different choice" opens a modal and records the override with its reason', async () => {
    h = await startHarness();
    const rootTs = await startInterview(h);
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h);
    await h.interact(actionPayload(h.fake, card, 'decision:override', BOB));
    const open = await h.fake.waitFor((c) => c.method === 'views.open');
    const modal = open.params.view as Json;
    expect(modal.callback_id).toBe('decision:override');
    const submit = (chosen: string[], reason: string) =>
      h.interact({
        type: 'view_submission',
        team: { id: 'T0HOME' },
        user: { id: BOB.id, team_id: 'T0HOME' },
        api_app_id: 'A0MESH',
        view: {
          id: 'V2',
          type: 'modal',
          callback_id: 'decision:override',
          private_metadata: modal.private_metadata,
          state: {
            values: {
              'override:patterns': {
                patterns: { type: 'checkboxes', selected_options: chosen.map((value) => ({ value })) },
              },
              'override:reason': { reason: { type: 'plain_text_input', value: reason } },
            },
          },
        },
      });
    // No reason: the modal shows an error and nothing is recorded.
    const refused = await submit(['service-mesh'], '  ');
    expect(await refused.json()).toEqual({
      response_action: 'errors',
      errors: { 'override:reason': 'Say why in one line.' },
    });
    expect((h.teamFile() as { decisions: Json[] }).decisions).toEqual([]);
    const ok = await submit(['service-mesh'], 'Compliance asked for <mTLS> & audit');
    expect(ok.status).toBe(200);
    await h.fake.waitFor((c) => c.method === 'chat.update' && c.params.ts === card.ts);
    await h.idle();
    const doc = h.teamFile() as { decisions: Json[]; sessions: Json[] };
    expect(doc.decisions[0]).toMatchObject({
      status: 'accepted',
      chosen: ['service-mesh'],
      overrideReason: 'Compliance asked for <mTLS> & audit',
      decidedBy: BOB.id,
    });
    expect(doc.sessions[0]?.status).toBe('decided');
    const shown = textOf(h.fake.message(CHANNEL, card.ts) ?? {});
    expect(shown).toContain('Compliance asked for &lt;mTLS&gt; &amp; audit');
    expect(h.fake.violations).toEqual([]);
  });
});
