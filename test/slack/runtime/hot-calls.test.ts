import { createServer } from 'node:net';
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { ErrorCode, type RetryOptions, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HotCalls } from '../../../src/slack/runtime/hot-calls.js';
import { rateLanes } from '../../../src/slack/runtime/rate-lanes.js';
import { FakeSlack } from '../../support/fake-slack.js';

const TOKEN = 'xoxb-hot-calls-secret-0123456789';
const quiet = () => {
  const logger = new ConsoleLogger();
  logger.setLevel(LogLevel.ERROR);
  return logger;
};

let fake: FakeSlack;
const hots: HotCalls[] = [];
beforeEach(async () => {
  fake = await new FakeSlack().start();
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const h of hots.splice(0)) h.close();
  await fake.stop();
});

/** A client as the bot builds one (Bolt's pooled client carries the team id), with the hot calls attached. */
function hotClient(retryConfig: RetryOptions = { retries: 0 }, timeoutMs = 10_000, apiUrl = fake.apiUrl) {
  const hot = new HotCalls({ retryConfig, rateLimitRetries: retryConfig.retries ?? 0, timeoutMs, logger: quiet() });
  hots.push(hot);
  return hot.attach(new WebClient(TOKEN, { slackApiUrl: apiUrl, teamId: 'T0HOME', retryConfig, logger: quiet() }));
}

/** The client as the bot builds it without the hot calls: what they must behave exactly like. */
const plainClient = () =>
  new WebClient(TOKEN, {
    slackApiUrl: fake.apiUrl,
    teamId: 'T0HOME',
    retryConfig: { retries: 0 },
    fetch: rateLanes({ retries: 0, timeoutMs: 10_000 }),
    logger: quiet(),
  });

const message = {
  channel: 'C0HOT',
  thread_ts: '1700000001.000001',
  text: 'Which clusters? & <more>',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Which *clusters*?' } }],
  metadata: { event_type: 'mesh_help_claim', event_payload: { claim: 'c1' } },
  unfurl_links: false,
};

describe('HotCalls', () => {
  it('sends exactly the call @slack/web-api sends: path, token and every parameter', async () => {
    const plain = plainClient();
    const viaClient = await plain.chat.postMessage(message);
    const viaHot = await hotClient().chat.postMessage(message);
    await plain.chat.update({ channel: 'C0HOT', ts: String(viaClient.ts), text: 'changed', blocks: [] });
    await hotClient().chat.update({ channel: 'C0HOT', ts: String(viaHot.ts), text: 'changed', blocks: [] });
    const [a, b, c, d] = fake.calls.map(({ method, params, token, path }) => ({ method, params, token, path }));
    expect(b).toEqual(a);
    expect(d).toEqual({ ...c, params: { ...c?.params, ts: viaHot.ts } });
    expect(a?.params).toMatchObject({ team_id: 'T0HOME', unfurl_links: false, blocks: message.blocks });
    expect(viaHot).toMatchObject({ ok: true, channel: 'C0HOT', ts: expect.any(String), response_metadata: {} });
  });

  it('sends conversations.info exactly as the client does, and answers the same', async () => {
    const plain = plainClient();
    const viaClient = await plain.conversations.info({ channel: 'C0HOT' });
    const viaHot = await hotClient().conversations.info({ channel: 'C0HOT' });
    const [a, b] = fake.calls.map(({ method, params, token, path }) => ({ method, params, token, path }));
    expect(a?.method).toBe('conversations.info');
    expect(b).toEqual(a);
    expect(viaHot.channel).toEqual(viaClient.channel);
    expect(viaHot.ok).toBe(true);
  });

  it('throws Slack’s refusal as the client does: a platform error with the answer as data', async () => {
    fake.failNext('chat.update', 'message_not_found');
    const failure = await hotClient()
      .chat.update({ channel: 'C0HOT', ts: '1.0', text: 'x' })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: ErrorCode.PlatformError, data: { ok: false, error: 'message_not_found' } });
  });

  it('a 429 with Retry-After on one method does not stall another, and the limited call goes through after it', async () => {
    const client = hotClient({ retries: 1, minTimeout: 10, maxTimeout: 20 });
    fake.faultNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const t0 = Date.now();
    const limited = client.chat.postMessage(message).then(() => Date.now() - t0);
    await fake.waitFor((c) => c.method === 'chat.postMessage', 2000);
    const other = await client.chat.update({ channel: 'C0HOT', ts: '1.0', text: 'x' }).catch((e: unknown) => e);
    const otherMs = Date.now() - t0;
    // The update got its own answer (message_not_found: nothing to update) without waiting out the 429.
    expect(other).toMatchObject({ data: { error: 'message_not_found' } });
    expect(otherMs).toBeLessThan(800);
    // A second post meanwhile waits in the post's lane.
    const second = client.chat.postMessage(message).then(() => Date.now() - t0);
    expect(await limited).toBeGreaterThanOrEqual(950);
    expect(await second).toBeGreaterThanOrEqual(950);
    expect(fake.called('chat.postMessage')).toHaveLength(3);
  });

  it('a 429 whose retries are spent fails as Slack’s ratelimited error', async () => {
    fake.faultNext('chat.postMessage', { status: 429, retryAfter: 30 });
    const failure = await hotClient({ retries: 0 })
      .chat.postMessage(message)
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'ratelimited', response_metadata: { retryAfter: 30 } },
    });
  });

  it('retries a 5xx with the client’s backoff, and fails with the HTTP error once retries are spent', async () => {
    fake.faultNext('chat.update', { status: 503 });
    fake.faultNext('chat.update', { status: 500 });
    const posted = await hotClient().chat.postMessage(message);
    const ok = await hotClient({ retries: 2, minTimeout: 10, maxTimeout: 20 }).chat.update({
      channel: 'C0HOT',
      ts: String(posted.ts),
      text: 'after two 5xx',
    });
    expect(ok.ok).toBe(true);
    expect(fake.called('chat.update')).toHaveLength(3);
    fake.faultNext('chat.update', { status: 502 });
    const failure = await hotClient()
      .chat.update({ channel: 'C0HOT', ts: String(posted.ts), text: 'x' })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 502 });
  });

  it('bounds each attempt by the timeout, with one timer per attempt', async () => {
    fake.faultNext('chat.postMessage', { status: 200, delayMs: 3000 });
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const t0 = Date.now();
    const failure = await hotClient({ retries: 0 }, 200)
      .chat.postMessage(message)
      .catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(failure).toMatchObject({ code: ErrorCode.RequestError });
    expect(String((failure as Error).message)).toContain('no answer within 200 ms');
    // The fake's own delay is a timer too (it runs in this process): the client's are those of 200 ms.
    expect(timers.mock.calls.filter(([, ms]) => ms === 200)).toHaveLength(1);
    timers.mockClear();
    const ok = await hotClient({ retries: 0 }, 2000).chat.postMessage(message);
    expect(ok.ok).toBe(true);
    expect(timers).toHaveBeenCalledTimes(1);
  });

  it('never puts the token in an error, whatever fails', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    fake.faultNext('chat.postMessage', { status: 200, delayMs: 2000 });
    fake.faultNext('chat.update', { status: 500 });
    fake.failNext('chat.postMessage', 'invalid_auth');
    const failures = [
      await hotClient({ retries: 0 }, 100)
        .chat.postMessage(message)
        .catch((e: unknown) => e),
      await hotClient()
        .chat.update({ channel: 'C0HOT', ts: '1.0', text: 'x' })
        .catch((e: unknown) => e),
      await hotClient()
        .chat.postMessage(message)
        .catch((e: unknown) => e),
      await hotClient({ retries: 0 }, 1000, `http://127.0.0.1:${closedPort}/api/`)
        .chat.postMessage(message)
        .catch((e: unknown) => e),
    ];
    expect(failures.map((f) => (f as { code?: string }).code)).toEqual([
      ErrorCode.RequestError,
      ErrorCode.HTTPError,
      ErrorCode.PlatformError,
      ErrorCode.RequestError,
    ]);
    for (const f of failures) {
      const e = f as Error & { original?: Error };
      for (const text of [e.message, e.stack, JSON.stringify(e), e.original?.message, e.original?.stack]) {
        expect(text ?? '').not.toContain(TOKEN);
      }
    }
  });

  it('a method left on @slack/web-api times out per attempt by the rate lanes’ timer, without the client’s own', async () => {
    const lanes = new WebClient(TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      fetch: rateLanes({ retries: 0, timeoutMs: 200 }),
      logger: quiet(),
    });
    fake.faultNext('views.open', { status: 200, delayMs: 3000 });
    const t0 = Date.now();
    const failure = await lanes.views
      .open({ trigger_id: 't', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } })
      .catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(failure).toMatchObject({ code: ErrorCode.RequestError });
  });
});
