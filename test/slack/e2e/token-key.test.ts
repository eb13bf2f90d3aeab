import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL, type Harness, sign, startHarness } from '../../support/harness.js';

/** A wrong MESH_HELP_TOKEN_KEY is reported, naming the variable, instead of dropping every request silently. */
const oauthEnv = (key: string) => ({
  SLACK_BOT_TOKEN: undefined,
  SLACK_CLIENT_ID: '1111.2222',
  SLACK_CLIENT_SECRET: 'client-secret-not-real',
  SLACK_STATE_SECRET: 'state-secret-not-real-0123456789',
  MESH_HELP_TOKEN_KEY: key,
});
const KEY = randomBytes(32).toString('base64');
const OTHER_KEY = randomBytes(32).toString('base64');

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mesh-key-'));
  dirs.push(d);
  return d;
};

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

/** A data folder holding one install sealed with KEY. */
async function installedWith(key: string): Promise<string> {
  const dataDir = temp();
  const first = await startHarness({ dataDir: join(dataDir, 'live'), env: oauthEnv(key) });
  await install(first.url, 'code-T0KEYED');
  await first.mesh.stop();
  cpSync(join(dataDir, 'live', 'installations'), join(dataDir, 'installations'), { recursive: true });
  await first.close();
  return dataDir;
}

describe('MESH_HELP_TOKEN_KEY that does not open the stored installs', () => {
  it('stops start-up with a message naming the variable', async () => {
    const dataDir = await installedWith(KEY);
    const failure = await startHarness({ dataDir, env: oauthEnv(OTHER_KEY) }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/MESH_HELP_TOKEN_KEY does not open any of the 1 stored Slack install/);
    // The right key starts.
    h = await startHarness({ dataDir, env: oauthEnv(KEY) });
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
  });

  it('installs sealed with another key appearing later: /readyz names the variable and the person is told', async () => {
    h = await startHarness({ env: oauthEnv(OTHER_KEY) });
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    // Another replica, configured with another key, stores the installs the two share.
    const elsewhere = await installedWith(KEY);
    cpSync(join(elsewhere, 'installations'), join(h.dataDir, 'installations'), { recursive: true });

    const body = new URLSearchParams({
      team_id: 'T0KEYED',
      channel_id: CHANNEL,
      user_id: 'U0ALICE',
      command: '/mesh-help',
      text: 'decisions',
      api_app_id: 'A0MESH',
      response_url: h.fake.responseUrl(),
      trigger_id: 'trigger-key-1',
    }).toString();
    const before = h.fake.calls.length;
    expect((await h.post(body, 'application/x-www-form-urlencoded', sign(body))).status).toBe(200);
    const told = await h.fake.waitFor((c) => c.seq > before && c.method === 'response_url', 5000, 'the note');
    expect(String(told.params.text)).toContain('MESH_HELP_TOKEN_KEY');
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ok: false, reason: 'MESH_HELP_TOKEN_KEY' });
  });
});
