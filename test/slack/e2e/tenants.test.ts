import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Io, run } from '../../../src/cli/main.js';
import { CHANNEL, type Harness, sign, startHarness, textOf } from '../../support/harness.js';

/**
 * Tenants kept apart with OAuth installs: two workspaces that each installed
 * the app, and an Enterprise Grid organisation installed org-wide with two
 * workspaces. Each request's organisation log (`/mesh-help decisions all`,
 * the Home tab) covers its own workspace, or its own org, and never anyone
 * else's, whatever the bot token situation (there is none: no home team).
 */
const OAUTH_ENV = {
  SLACK_BOT_TOKEN: undefined,
  SLACK_CLIENT_ID: '1111.2222',
  SLACK_CLIENT_SECRET: 'client-secret-not-real',
  SLACK_STATE_SECRET: 'state-secret-not-real-0123456789',
  MESH_HELP_TOKEN_KEY: randomBytes(32).toString('base64'),
};

type Json = Record<string, unknown>;
/** A tenant: its workspace, its org when installed org-wide, and the title of its one record. */
type Tenant = { team: string; enterprise?: string; title: string; answers: Json };
const MULTI = { clusters: 'multi-region', pains: ['region-failover'], cni: 'cilium' };
const ONE = { clusters: 'one' };
// Every record on the same tag, with two different choices: an organisation log that mixed tenants would flag conflicts between them.
const ALPHA: Tenant = { team: 'T0ALPHA', title: 'Alpha payments mesh', answers: MULTI };
const BETA: Tenant = { team: 'T0BETA', title: 'Beta search federation', answers: ONE };
const GRID_ONE: Tenant = { team: 'T0GRID1', enterprise: 'E0GRID', title: 'Grid one ledger', answers: MULTI };
const GRID_TWO: Tenant = { team: 'T0GRID2', enterprise: 'E0GRID', title: 'Grid two checkout', answers: ONE };
const ALL = [ALPHA, BETA, GRID_ONE, GRID_TWO];

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs the install flow as a browser would: /slack/install, then Slack's redirect back with a code. */
async function install(url: string, code: string): Promise<void> {
  const start = await fetch(`${url}/slack/install`, { redirect: 'manual' });
  const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const done = await fetch(`${url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  expect(done.status).toBe(200);
}

/** An accepted record of a workspace, written through the command line into the bot's data folder. */
async function decides(hh: Harness, t: Tenant): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-tenant-'));
  dirs.push(dir);
  const answers = join(dir, 'a.json');
  writeFileSync(answers, JSON.stringify(t.answers));
  const io: Io = {
    out: () => undefined,
    err: (text) => {
      throw new Error(text);
    },
    env: { MESH_HELP_DATA_DIR: hh.dataDir },
    stdinIsTTY: false,
    now: () => new Date(),
  };
  const args = ['interview', '--answers', answers, '--accept', '--team', t.team, '--title', t.title];
  expect(await run([...args, '--scope', 'prod-eu'], io)).toBe(0);
}

let n = 0;
/** A signed `/mesh-help <text>` from a person of the tenant, answered through its response_url. */
async function command(hh: Harness, t: Tenant, text: string): Promise<string> {
  n += 1;
  const body = new URLSearchParams({
    team_id: t.team,
    ...(t.enterprise ? { enterprise_id: t.enterprise, is_enterprise_install: 'true' } : {}),
    channel_id: `${CHANNEL}${n}`,
    user_id: `U0${t.team.slice(2)}`,
    command: '/mesh-help',
    text,
    api_app_id: 'A0MESH',
    response_url: hh.fake.responseUrl(),
    trigger_id: `trigger-tenant-${n}`,
  }).toString();
  const before = hh.fake.calls.length;
  expect((await hh.post(body, 'application/x-www-form-urlencoded', sign(body))).status).toBe(200);
  const answer = await hh.fake.waitFor((c) => c.seq > before && c.method === 'response_url', 5000, text);
  return textOf(answer.params as Json);
}

/** The Home tab a person of the tenant is shown when they open it. */
async function home(hh: Harness, t: Tenant): Promise<string> {
  n += 1;
  const body = JSON.stringify({
    team_id: t.team,
    ...(t.enterprise ? { enterprise_id: t.enterprise } : {}),
    api_app_id: 'A0MESH',
    type: 'event_callback',
    event_id: `EvHome${n}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        team_id: t.enterprise ? null : t.team,
        enterprise_id: t.enterprise ?? null,
        user_id: 'U0BOT',
        is_bot: true,
        is_enterprise_install: Boolean(t.enterprise),
      },
    ],
    event: { type: 'app_home_opened', user: `U0${t.team.slice(2)}`, channel: 'D0HOME', tab: 'home' },
  });
  const before = hh.fake.calls.length;
  expect((await hh.post(body, 'application/json', sign(body))).status).toBe(200);
  const published = await hh.fake.waitFor((c) => c.seq > before && c.method === 'views.publish', 5000, 'Home');
  return textOf(published.params.view as Json);
}

/** Which tenants' records a text shows, by title or by reference (`T0ALPHA/ADR-0001`). */
const shows = (text: string) =>
  ALL.filter((t) => text.includes(t.title) || text.includes(`${t.team}/`)).map((t) => t.team);

describe('organisation logs with OAuth installs (real app, signed requests)', () => {
  it('two workspaces never see each other’s records; a Grid org sees its own workspaces and nobody else’s', async () => {
    h = await startHarness({ env: OAUTH_ENV });
    await install(h.url, `code-${ALPHA.team}`);
    await install(h.url, `code-${BETA.team}`);
    await install(h.url, 'org-E0GRID');
    for (const t of ALL) await decides(h, t);
    // Each Grid workspace has been served by the org's install once (how the bot learns it belongs to the org).
    for (const t of [GRID_ONE, GRID_TWO]) expect(await command(h, t, 'decisions')).toContain(t.title);

    expect(shows(await command(h, ALPHA, 'decisions all'))).toEqual([ALPHA.team]);
    expect(shows(await command(h, BETA, 'decisions all'))).toEqual([BETA.team]);
    expect(shows(await command(h, GRID_ONE, 'decisions all'))).toEqual([GRID_ONE.team, GRID_TWO.team]);
    expect(shows(await command(h, GRID_TWO, 'decisions all'))).toEqual([GRID_ONE.team, GRID_TWO.team]);
    // A filter naming another tenant's team finds nothing.
    expect(shows(await command(h, ALPHA, `decisions all team:${BETA.team.toLowerCase()}`))).toEqual([]);

    // The Home tab's organisation section follows the same rule.
    for (const t of [ALPHA, BETA]) {
      const own = await home(h, t);
      expect(shows(own)).toEqual([t.team]);
      expect(own).not.toContain('Across the organisation');
    }
    const grid = await home(h, GRID_ONE);
    expect(grid).toContain('*Across the organisation*');
    expect(grid).toContain('2 decision(s) in 2 team(s), 1 conflict(s)');
    expect(shows(grid)).toEqual([GRID_ONE.team, GRID_TWO.team]);
  });

  it('an org’s log covers only the workspaces its install has served; a request naming an org not installed sees its own workspace', async () => {
    h = await startHarness({ env: OAUTH_ENV });
    await install(h.url, `code-${ALPHA.team}`);
    await install(h.url, 'org-E0GRID');
    for (const t of ALL) await decides(h, t);
    expect(await command(h, GRID_ONE, 'decisions')).toContain(GRID_ONE.title);
    // ALPHA's own install answers a request that names an org nobody installed.
    const claimsOrg: Tenant = { ...ALPHA, enterprise: 'E0ELSEWHERE' };
    expect(shows(await command(h, claimsOrg, 'decisions all'))).toEqual([ALPHA.team]);
    expect(shows(await command(h, GRID_ONE, 'decisions all'))).toEqual([GRID_ONE.team]);
  });
});
