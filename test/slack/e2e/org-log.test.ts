import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Io, run } from '../../../src/cli/main.js';
import { checkMessage } from '../../support/block-kit.js';
import { runInterview, SMALL_TEAM, waitForCard } from '../../support/driver.js';
import type { Call } from '../../support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  EVE,
  type Harness,
  HOME_TEAM,
  isPost,
  type Person,
  startHarness,
  textOf,
} from '../../support/harness.js';

type Json = Record<string, unknown>;
let h: Harness;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function command(text: string, who: Person = ALICE): Promise<Record<string, unknown>> {
  const before = h.fake.calls.length;
  const res = await h.command(text, who);
  expect(res.status).toBe(200);
  const acked = await res.text();
  if (acked) return JSON.parse(acked) as Record<string, unknown>;
  return (await h.fake.waitFor((c: Call) => c.seq > before && c.method === 'response_url', 5000, text)).params;
}

/** Another team's accepted record, written through the command line into the bot's data folder. */
async function otherTeamDecides(team: string, title: string, scope: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-org-'));
  dirs.push(dir);
  const answers = join(dir, 'a.json');
  writeFileSync(answers, JSON.stringify({ clusters: 'multi-region', pains: ['region-failover'], cni: 'cilium' }));
  const io: Io = {
    out: () => undefined,
    err: (t) => {
      throw new Error(t);
    },
    env: { MESH_HELP_DATA_DIR: h.dataDir },
    stdinIsTTY: false,
    now: () => new Date(),
  };
  const args = ['interview', '--answers', answers, '--accept', '--team', team, '--title', title, '--scope', scope];
  expect(await run(args, io)).toBe(0);
}

describe('/mesh-help decisions all (real app, signed requests)', () => {
  it('start … scope: tags the record; the organisation log lists every team and flags the conflict on prod-eu', async () => {
    h = await startHarness();
    const before = h.fake.calls.length;
    await h.command('start Payments networking scope: prod-eu, Staging');
    const root = await h.fake.waitFor((c) => c.seq > before && isPost(c) && c.params.thread_ts === undefined);
    await h.fake.waitFor((c) => c.seq > root.seq && isPost(c) && typeof c.params.thread_ts === 'string');
    const rootTs = String((await h.fake.waitFor((c) => c.seq > root.seq && isPost(c))).params.thread_ts);
    await runInterview(h, rootTs, SMALL_TEAM);
    const card = await waitForCard(h, before);
    await h.interact(actionPayload(h.fake, card, 'decision:accept', ALICE));
    await h.fake.waitFor((c) => JSON.stringify(c.params.blocks ?? []).includes('"adr:1"'));
    await h.idle();
    const decision = ((h.teamFile()?.decisions ?? []) as Record<string, unknown>[])[0];
    expect(decision?.scope).toEqual(['prod-eu', 'staging']);

    await otherTeamDecides('T0SEARCH', 'Search <goes> cluster mesh', 'prod-eu');
    const log = await command('decisions all');
    expect(log.response_type).toBe('ephemeral');
    expect(checkMessage(log)).toEqual([]);
    const text = textOf(log);
    expect(text).toContain(`*${HOME_TEAM}/ADR-0001* Payments networking · _accepted_`);
    expect(text).toContain(
      // The tied layers in advice v3's tie order: the one with fewer arguments against it leads.
      '*T0SEARCH/ADR-0001* Search &lt;goes&gt; cluster mesh · _accepted_ · Multi-cluster without a mesh + Cluster mesh · `prod-eu`',
    );
    expect(text).toContain('Conflicts on shared clusters or environments');
    expect(text).toContain(`:warning: conflicts with *T0SEARCH/ADR-0001* on \`prod-eu\``);
    expect(text).not.toContain('<goes>');

    const filtered = await command('decisions all team:t0search status:accepted');
    expect(textOf(filtered)).toContain('T0SEARCH/ADR-0001');
    expect(textOf(filtered)).toContain('*1 decision*');
    expect(textOf(filtered)).not.toContain('Payments networking · _accepted_');
    expect(textOf(filtered)).toContain('Filtered by `team:T0SEARCH` `status:accepted`');
    const none = await command('decisions all scope:dev');
    expect(textOf(none)).toContain('No decision matches.');

    // App Home shows the organisation's section with the conflict to members of the bot's workspace.
    const homeAt = h.fake.calls.length;
    await h.event({ type: 'app_home_opened', user: ALICE.id, channel: 'D0HOME', tab: 'home' });
    const home = await h.fake.waitFor((c) => c.seq > homeAt && c.method === 'views.publish');
    const homeText = textOf(home.params.view as Json);
    expect(homeText).toContain('*Across the organisation*');
    expect(homeText).toContain('2 decisions in 2 teams, 1 conflict');
    expect(homeText).toContain(
      `:warning: \`prod-eu\`: *${HOME_TEAM}/ADR-0001* (Plain Kubernetes) vs *T0SEARCH/ADR-0001* (Multi-cluster without a mesh + Cluster mesh)`,
    );

    // A guest from another organisation sees their own workspace's records only.
    const guest = await command('decisions all', EVE);
    expect(textOf(guest)).not.toContain('T0SEARCH');
    expect(textOf(guest)).not.toContain('Payments networking');
    expect(textOf(guest)).toContain('You see this workspace’s records only');
  });

  it('bad filters and bad tags are answered privately and change nothing', async () => {
    h = await startHarness();
    const bad = await command('decisions all status:maybe');
    expect(String(bad.text)).toContain('Status is one of proposed, accepted');
    const word = await command('decisions everything');
    expect(String(word.text)).toContain('`decisions all`');
    const tag = await command('start Payments scope: prod eu!');
    expect(String(tag.text)).toContain('"eu!" is not a cluster or environment tag');
    await h.idle();
    expect(h.teamFile()).toBeUndefined();
    expect(h.fake.called('chat.postMessage')).toEqual([]);
  });

  it('the start modal asks for clusters or environments: kept on the session, or refused beside the field', async () => {
    h = await startHarness();
    const submit = (scope: string) =>
      h.interact({
        type: 'view_submission',
        team: { id: HOME_TEAM },
        user: { id: ALICE.id, team_id: HOME_TEAM },
        api_app_id: 'A0MESH',
        view: {
          id: 'V1',
          type: 'modal',
          callback_id: 'interview:start',
          private_metadata: '',
          state: {
            values: {
              'start:channel': { channel: { type: 'conversations_select', selected_conversation: 'C0OTHER' } },
              'start:title': { title: { type: 'plain_text_input', value: 'From the modal' } },
              'start:scope': { scope: { type: 'plain_text_input', value: scope } },
            },
          },
        },
      });
    const refused = await submit('prod/eu');
    expect(await refused.json()).toEqual({
      response_action: 'errors',
      errors: { 'start:scope': expect.stringContaining('"prod/eu" is not a cluster or environment tag') },
    });
    expect(h.teamFile()).toBeUndefined();
    await submit('prod-us staging');
    await h.fake.waitFor((c) => isPost(c) && c.params.channel === 'C0OTHER' && typeof c.params.thread_ts === 'string');
    await h.idle();
    const session = ((h.teamFile()?.sessions ?? []) as Record<string, unknown>[])[0];
    expect(session?.scope).toEqual(['prod-us', 'staging']);
  });
});
