import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, PgStore, type Store } from '../../../src/store/index.js';
import type { FakeSlack } from '../../support/fake-slack.js';
import { CHANNEL, type Harness, sign, startHarness } from '../../support/harness.js';
import { freshSchema, type TestSchema } from '../../support/pg.js';

/**
 * Installs in many workspaces: Slack's OAuth flow against the fake Slack,
 * each install's token sealed in the same backend as the teams and used for
 * that workspace's requests, org-wide installs on Enterprise Grid, and
 * uninstalls deleting the tokens.
 */
const TOKEN_KEY = randomBytes(32).toString('base64');
const OAUTH_ENV = {
  SLACK_BOT_TOKEN: undefined,
  SLACK_CLIENT_ID: '1111.2222',
  SLACK_CLIENT_SECRET: 'client-secret-not-real',
  SLACK_STATE_SECRET: 'state-secret-not-real-0123456789',
  MESH_HELP_TOKEN_KEY: TOKEN_KEY,
};

type Backend = {
  name: string;
  open(): Promise<{ store: () => Store; sealed(): Promise<string[]>; cleanup(): Promise<void> }>;
};
const backends: Backend[] = [
  {
    name: 'PostgreSQL',
    async open() {
      const schema: TestSchema = await freshSchema();
      return {
        store: () => new PgStore(schema.url),
        async sealed() {
          const c = new pg.Client({ connectionString: schema.url });
          await c.connect();
          try {
            return (await c.query<{ sealed: string }>('SELECT sealed FROM slack_installations')).rows.map(
              (r) => r.sealed,
            );
          } finally {
            await c.end();
          }
        },
        cleanup: () => schema.drop(),
      };
    },
  },
  {
    name: 'JSON files',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'mesh-installs-'));
      const folder = join(dir, 'installations');
      return {
        store: () => new FileStore(dir, { durable: false }),
        async sealed() {
          try {
            return readdirSync(folder).map((f) => readFileSync(join(folder, f), 'utf8'));
          } catch {
            return [];
          }
        },
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];

let h: Harness | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const c of cleanups.splice(0)) await c();
});

/** Runs the install flow as a browser would: /slack/install, then Slack's redirect back with a code. */
async function install(url: string, code: string): Promise<Response> {
  const start = await fetch(`${url}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const location = new URL(start.headers.get('location') ?? '');
  expect(location.origin + location.pathname).toBe('https://slack.com/oauth/v2/authorize');
  expect(location.searchParams.get('client_id')).toBe(OAUTH_ENV.SLACK_CLIENT_ID);
  expect(location.searchParams.get('scope')).toContain('chat:write');
  const state = location.searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return fetch(`${url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
}

/** `/mesh-help help` from a workspace (of an org, for an org-wide install), signed as Slack signs it. */
let commands = 0;
/** A signed `/mesh-help start`, each in a channel and with a trigger of its own (one open interview per channel). */
function command(h: Harness, team: string, enterprise?: string): Promise<Response> {
  commands += 1;
  const body = new URLSearchParams({
    team_id: team,
    ...(enterprise ? { enterprise_id: enterprise, is_enterprise_install: 'true' } : {}),
    channel_id: `${CHANNEL}${commands}`,
    user_id: 'U0ALICE',
    command: '/mesh-help',
    text: 'start Installed here',
    api_app_id: 'A0MESH',
    response_url: h.fake.responseUrl(),
    trigger_id: `trigger-${commands}`,
  }).toString();
  return h.post(body, 'application/x-www-form-urlencoded', sign(body));
}

function event(h: Harness, team: string, event: Record<string, unknown>): Promise<Response> {
  const body = JSON.stringify({
    team_id: team,
    api_app_id: 'A0MESH',
    type: 'event_callback',
    event_id: `Ev${randomBytes(4).toString('hex')}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
  return h.post(body, 'application/json', sign(body));
}

const postsWith = (fake: FakeSlack, token: string) =>
  fake.calls.filter((c) => c.method === 'chat.postMessage' && c.token === token);

for (const backend of backends) {
  describe(`installs in many workspaces (${backend.name})`, () => {
    it('installs through OAuth, seals the token, uses each install’s token, and forgets it on uninstall', async () => {
      const place = await backend.open();
      cleanups.push(place.cleanup);
      h = await startHarness({ store: place.store, env: OAUTH_ENV });
      expect(h.fake.called('auth.test')).toHaveLength(0);

      const done = await install(h.url, 'code-T0NEW');
      expect(done.status).toBe(200);
      const exchange = h.fake.called('oauth.v2.access')[0];
      expect(exchange?.params).toMatchObject({ code: 'code-T0NEW', client_id: OAUTH_ENV.SLACK_CLIENT_ID });
      const sealed = await place.sealed();
      expect(sealed).toHaveLength(1);
      expect(sealed[0]).toMatch(/^v1:/);
      expect(sealed.join()).not.toContain('xoxb-installed');

      expect((await command(h, 'T0NEW')).status).toBe(200);
      await h.fake.waitFor((c) => c.method === 'chat.postMessage', 5000, 'the interview root');
      expect(postsWith(h.fake, 'xoxb-installed-T0NEW').length).toBeGreaterThan(0);
      expect(h.fake.called('chat.postMessage').every((c) => c.token === 'xoxb-installed-T0NEW')).toBe(true);

      // A workspace that never installed gets nothing done in its name.
      await command(h, 'T0NEVER');
      await h.idle();
      expect(h.fake.calls.filter((c) => c.token && !c.token.startsWith('xoxb-installed-T0NEW'))).toEqual([]);

      // A restart reads the sealed install back (the key comes from the environment again).
      h = await h.restart();
      const before = h.fake.calls.length;
      await command(h, 'T0NEW');
      await h.fake.waitFor((c) => c.seq > before && c.method === 'chat.postMessage', 5000, 'a post after restart');

      expect((await event(h, 'T0NEW', { type: 'app_uninstalled' })).status).toBe(200);
      await h.idle();
      expect(await place.sealed()).toEqual([]);
      const after = h.fake.calls.length;
      await command(h, 'T0NEW');
      await h.idle();
      expect(h.fake.calls.slice(after).filter((c) => c.method === 'chat.postMessage')).toEqual([]);
    });

    it('serves every workspace of an Enterprise Grid org from one org-wide install', async () => {
      const place = await backend.open();
      cleanups.push(place.cleanup);
      h = await startHarness({ store: place.store, env: OAUTH_ENV });
      expect((await install(h.url, 'org-E0ORG')).status).toBe(200);
      for (const team of ['T0WS1', 'T0WS2']) {
        const before = h.fake.calls.length;
        expect((await command(h, team, 'E0ORG')).status).toBe(200);
        const post = await h.fake.waitFor((c) => c.seq > before && c.method === 'chat.postMessage', 5000, team);
        expect(post.token).toBe('xoxb-installed-E0ORG');
      }
      // A revoked bot token removes the org's install.
      const body = JSON.stringify({
        team_id: 'T0WS1',
        enterprise_id: 'E0ORG',
        is_enterprise_install: true,
        api_app_id: 'A0MESH',
        type: 'event_callback',
        event_id: 'EvRevoke',
        event_time: Math.floor(Date.now() / 1000),
        event: { type: 'tokens_revoked', tokens: { bot: ['U0BOT'] } },
      });
      // The org's install, and a note per workspace served (which org serves it, no token) for reminders.
      expect(await place.sealed()).toHaveLength(3);
      expect((await h.post(body, 'application/json', sign(body))).status).toBe(200);
      await h.idle();
      expect(await place.sealed()).toHaveLength(2);
      const after = h.fake.calls.length;
      await command(h, 'T0WS1', 'E0ORG');
      await h.idle();
      expect(h.fake.calls.slice(after).filter((c) => c.method === 'chat.postMessage')).toEqual([]);
    });
  });
}
