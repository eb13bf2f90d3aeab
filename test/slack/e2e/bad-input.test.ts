import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { Logger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.js';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { FakeSlack } from '../../support/fake-slack.js';
import {
  ALICE,
  BOT_TOKEN,
  CHANNEL,
  type Harness,
  HOME_TEAM,
  isPost,
  SIGNING_SECRET,
  sign,
  startHarness,
} from '../../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const commandBody = (text: string, team = HOME_TEAM) =>
  new URLSearchParams({
    team_id: team,
    channel_id: CHANNEL,
    user_id: ALICE.id,
    command: '/mesh-help',
    text,
    response_url: 'http://127.0.0.1:9/never',
    trigger_id: 'trigger-1',
  }).toString();

const FORM = 'application/x-www-form-urlencoded';
const botCalls = (hh: Harness) => hh.fake.calls.filter((c) => c.method !== 'auth.test');

/** Sends headers (and `bytes` of body, in 16 KB chunks) without finishing the body, and resolves with the status the server answers. */
function statusBeforeBodyEnds(
  url: string,
  headers: Record<string, string>,
  bytes: number,
): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request(`${url}/slack/events`, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on('error', (err) => {
      // The server may close the connection right after its answer; an answer already read wins.
      if (sent >= bytes) return;
      reject(err);
    });
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
    };
    req.flushHeaders();
    pump();
  });
}

describe('oversized bodies are refused before they are read', () => {
  it('a declared 4 MB body gets 413 before any of it is sent', async () => {
    h = await startHarness();
    const out = await statusBeforeBodyEnds(
      h.url,
      { 'Content-Type': FORM, 'Content-Length': String(4 * 1024 * 1024), ...sign('x') },
      0,
    );
    expect(out).toEqual({ status: 413, sent: 0 });
    expect(botCalls(h)).toEqual([]);
  });

  it('a chunked body is counted while it streams: 413 once it passes 64 KB, without waiting for its end', async () => {
    h = await startHarness();
    const out = await statusBeforeBodyEnds(
      h.url,
      { 'Content-Type': FORM, 'Transfer-Encoding': 'chunked', ...sign('x') },
      128 * 1024,
    );
    expect(out.status).toBe(413);
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('a normal signed command still works after refusals', async () => {
    h = await startHarness();
    const body = commandBody('start Still works');
    const res = await h.post(body, FORM);
    expect(res.status).toBe(200);
    await h.fake.waitFor((c) => isPost(c) && c.params.thread_ts === undefined, 5000, 'the root message');
  });
});

describe('timestamps and replays', () => {
  it('a correctly signed request dated ten minutes ahead gets 401 and has no effect', async () => {
    h = await startHarness();
    const body = commandBody('start From the future');
    const future = Math.floor(Date.now() / 1000) + 10 * 60;
    const res = await h.post(body, FORM, sign(body, SIGNING_SECRET, future));
    expect(res.status).toBe(401);
    await h.idle();
    expect(botCalls(h)).toEqual([]);
    expect(h.teamFile()).toBeUndefined();
  });

  it('a request signed without a timestamp, or with one that is not a number, gets 401 and has no effect', async () => {
    h = await startHarness();
    const body = commandBody('start Without a time');
    for (const ts of ['', 'soon']) {
      const sig = createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex');
      const headers = { ...(ts ? { 'X-Slack-Request-Timestamp': ts } : {}), 'X-Slack-Signature': `v0=${sig}` };
      const res = await h.post(body, FORM, headers);
      expect(res.status).toBe(401);
    }
    await h.idle();
    expect(botCalls(h)).toEqual([]);
    expect(h.teamFile()).toBeUndefined();
  });

  it('an exact replay of a signed /mesh-help start inside the window starts one interview', async () => {
    h = await startHarness();
    const body = commandBody('start Replayed once');
    const headers = sign(body);
    const first = await h.post(body, FORM, headers);
    const again = await h.post(body, FORM, headers);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    await h.fake.waitFor((c) => isPost(c) && typeof c.params.thread_ts === 'string', 5000, 'the first question');
    await h.idle();
    const roots = h.fake.calls.filter((c) => isPost(c) && c.params.thread_ts === undefined);
    expect(roots).toHaveLength(1);
    expect(h.teamFile()?.sessions).toHaveLength(1);
  });
});

describe('what Slack sends unsigned', () => {
  it('an ssl_check without timestamp or signature still reaches Bolt and gets its 200, with no effect', async () => {
    h = await startHarness();
    const res = await h.post('ssl_check=1&token=x&command=%2Fmesh-help&text=start', FORM, {});
    expect(res.status).toBe(200);
    await h.idle();
    expect(botCalls(h)).toEqual([]);
  });
});

describe('team ids that are not Slack ids', () => {
  it('team_id=__proto__ gets 400, not a 500 from inside Bolt, and nothing is stored or posted', async () => {
    h = await startHarness();
    const body = commandBody('start Pollute', '__proto__');
    const res = await h.post(body, FORM);
    expect(res.status).toBe(400);
    await h.idle();
    expect(botCalls(h)).toEqual([]);
  });

  it('an interaction whose team is "../x" gets 400', async () => {
    h = await startHarness();
    const res = await h.interact({
      type: 'block_actions',
      team: { id: '../x' },
      user: { id: ALICE.id, team_id: '../x' },
      actions: [],
    });
    expect(res.status).toBe(400);
  });
});

describe('what people and logs are shown', () => {
  it('a Slack failure while posting is told in plain words, never an internal code', async () => {
    h = await startHarness();
    h.fake.faultNext('chat.postMessage', { status: 500 });
    await h.command('start Will fail');
    const told = await h.fake.waitFor((c) => c.method === 'response_url', 5000, 'the private notice');
    const text = JSON.stringify(told.params);
    expect(text).not.toMatch(/slack_webapi|_error/);
    expect(text).toContain('Slack could not be reached');
  });

  it('credentials in SLACK_API_URL never reach an error message', async () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: 'http://proxyuser:hunter2-secret@127.0.0.1:9/api/',
      PORT: '0',
      LOG_LEVEL: 'error',
    });
    const failed = await createApp(config, { retryConfig: { retries: 0 }, timeoutMs: 2000 }).catch((e) => e);
    expect(failed).toBeInstanceOf(ConfigError);
    expect((failed as Error).message).toContain('SLACK_API_URL');
    expect((failed as Error).message).not.toContain('hunter2-secret');
    expect((failed as Error).message).toContain('***@127.0.0.1');
  });

  it('debug logs never print credentials from SLACK_API_URL, and LOG_LEVEL holds after start-up', async () => {
    const fake = await new FakeSlack().start();
    const lines: string[] = [];
    let level = LogLevel.INFO;
    const capture: Logger = {
      debug: (...m) => lines.push(m.join(' ')),
      info: (...m) => lines.push(m.join(' ')),
      warn: (...m) => lines.push(m.join(' ')),
      error: (...m) => lines.push(m.join(' ')),
      setLevel: (l) => {
        level = l;
      },
      getLevel: () => level,
      setName: () => {},
    };
    const withCreds = fake.apiUrl.replace('http://', 'http://proxyuser:hunter2-secret@');
    const debugConfig = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: withCreds,
      PORT: '0',
      LOG_LEVEL: 'debug',
    });
    // The Web API client cannot use such a URL either; what matters here is what it logged on the way.
    const failed = await createApp(debugConfig, { logger: capture, retryConfig: { retries: 0 } }).catch((e) => e);
    expect(failed).toBeInstanceOf(ConfigError);
    expect(lines.some((l) => l.includes('http request url'))).toBe(true);
    expect(lines.join('\n')).not.toContain('hunter2-secret');

    const quiet = await createApp(
      loadConfig({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
        LOG_LEVEL: 'warn',
      }),
      { logger: capture, retryConfig: { retries: 0 } },
    );
    await quiet.start();
    expect(capture.getLevel()).toBe(LogLevel.WARN);
    await quiet.stop();
    await fake.stop();
  });
});
