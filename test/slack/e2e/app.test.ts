import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.js';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { BOT_TOKEN, type Harness, HOME_TEAM, SIGNING_SECRET, startHarness } from '../../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('start-up and shutdown', () => {
  it('a token Slack refuses stops start-up naming SLACK_BOT_TOKEN and not the token', async () => {
    const fake = await new FakeSlack().start();
    fake.failNext('auth.test', 'invalid_auth');
    const dir = mkdtempSync(join(tmpdir(), 'mesh-help-auth-'));
    try {
      const config = loadConfig({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        MESH_HELP_DATA_DIR: dir,
      });
      const failure = await createApp(config, { retryConfig: { retries: 0 } }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as Error).message).toContain('SLACK_BOT_TOKEN was refused by Slack (invalid_auth)');
      expect((failure as Error).message).not.toContain(BOT_TOKEN);
    } finally {
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stop() right after an ack still finishes the work that followed it and its store writes', async () => {
    h = await startHarness();
    const res = await h.command('start Stopped at once');
    expect(res.status).toBe(200);
    await h.mesh.stop();
    const doc = JSON.parse(readFileSync(join(h.dataDir, 'teams', `${HOME_TEAM}.json`), 'utf8')) as {
      sessions: { title: string; interviewTs?: string }[];
    };
    expect(doc.sessions[0]?.title).toBe('Stopped at once');
    // The interview message was posted and its ts stored (not left as a claim).
    expect(doc.sessions[0]?.interviewTs).toMatch(/^\d+\.\d+$/);
    const restarted = await h.restart();
    h = restarted;
  });
});
