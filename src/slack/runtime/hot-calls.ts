import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { stringify } from 'node:querystring';
import type { Logger } from '@slack/logger';
import {
  type RetryOptions,
  type WebAPICallResult,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRequestError,
  type WebClient,
} from '@slack/web-api';

/**
 * The Web API methods every interaction calls, sent through the thin client instead of @slack/web-api:
 * posting and updating messages, and the look at a channel every start makes (is it private?).
 */
export const HOT_METHODS = ['chat.postMessage', 'chat.update', 'conversations.info'] as const;
export type HotMethod = (typeof HOT_METHODS)[number];

export type HotCallOptions = {
  /** Retries of a call that got no answer or a non-200 (not a 429), with @slack/web-api's backoff settings. */
  retryConfig: RetryOptions;
  /** How many times one call is retried after a 429 before it fails with `ratelimited`. */
  rateLimitRetries: number;
  /** Per attempt, in ms (0: none). */
  timeoutMs: number;
  logger: Logger;
};

type Args = Record<string, unknown>;
/** What a client carries that a call needs; `teamId` and `defaultHeaders` are the client's own (not typed public). */
type ClientParts = { slackApiUrl: string; token?: string; teamId?: string; defaultHeaders?: Record<string, string> };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The body as @slack/web-api encodes it: url-encoded, objects as JSON, null and undefined left out. */
function encode(args: Args): string {
  const flat: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined || value === null) continue;
    flat[key] =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : JSON.stringify(value);
  }
  return stringify(flat);
}

/** The wait before retry `attempt` (0-based), as p-retry computes it from the same options. */
function backoff(o: RetryOptions, attempt: number): number {
  const random = o.randomize ? 1 + Math.random() : 1;
  const ms = Math.round(random * (o.minTimeout ?? 1000) * (o.factor ?? 2) ** attempt);
  return Math.min(ms, o.maxTimeout ?? Number.POSITIVE_INFINITY);
}

type Answer = { status: number; statusText: string; headers: IncomingMessage['headers']; body: string };
const header = (h: IncomingMessage['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(', ') : v;
};
const retryAfterOf = (h: IncomingMessage['headers']): number | undefined => {
  const n = Number.parseInt(header(h, 'retry-after') ?? '', 10);
  return Number.isNaN(n) ? undefined : n;
};

/**
 * The two Web API methods every click and start calls (`chat.postMessage`,
 * `chat.update`), over keep-alive `node:http(s)` with one timer per attempt:
 * through @slack/web-api each call costs several times the CPU (its queue,
 * fetch, and two timers, the client's and the rate lanes'). The calls are the
 * same bytes the client would send, its errors the same classes, and the
 * behaviour the same as the client with `rateLanes` underneath: a 429 pauses
 * that method only and is retried, a call that got no answer or a non-200
 * is retried with the client's backoff, and once retries are spent a 429
 * fails as Slack's `ratelimited`. Every other method stays on @slack/web-api.
 */
export class HotCalls {
  private readonly pausedUntil = new Map<string, number>();
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 100 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 100 }),
  };
  private readonly attached = new WeakSet<WebClient>();

  constructor(private readonly options: HotCallOptions) {}

  /** Sends the client's hot methods (HOT_METHODS) through this; the client is otherwise unchanged. */
  attach<C extends WebClient>(client: C): C {
    if (this.attached.has(client)) return client;
    this.attached.add(client);
    const parts = client as unknown as ClientParts;
    const chat = client.chat as unknown as Record<'postMessage' | 'update', (args: Args) => Promise<WebAPICallResult>>;
    chat.postMessage = (args: Args) => this.call(parts, 'chat.postMessage', args);
    chat.update = (args: Args) => this.call(parts, 'chat.update', args);
    const conversations = client.conversations as unknown as Record<'info', (args: Args) => Promise<WebAPICallResult>>;
    conversations.info = (args: Args) => this.call(parts, 'conversations.info', args);
    return client;
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  async call(client: ClientParts, method: HotMethod, args: Args = {}): Promise<WebAPICallResult> {
    const url = new URL(`${client.slackApiUrl}${method}`);
    const token = typeof args.token === 'string' ? args.token : client.token;
    const body = encode({ team_id: client.teamId, ...args });
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...client.defaultHeaders,
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': String(Buffer.byteLength(body)),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    };
    const { retryConfig } = this.options;
    let limited = 0;
    for (let failures = 0; ; ) {
      const wait = (this.pausedUntil.get(method) ?? 0) - Date.now();
      if (wait > 0) await sleep(wait);
      let answer: Answer;
      try {
        answer = await this.send(url, method, headers, body);
      } catch (err) {
        const failure = new WebAPIRequestError(err as Error);
        if (failures >= (retryConfig.retries ?? 0)) throw failure;
        this.options.logger.warn(`mesh-help: ${method} failed (${(err as Error).message}); retrying`);
        await sleep(backoff(retryConfig, failures++));
        continue;
      }
      if (answer.status === 429) {
        const seconds = retryAfterOf(answer.headers);
        if (seconds === undefined || seconds < 0 || limited >= this.options.rateLimitRetries) {
          throw new WebAPIPlatformError({
            ok: false,
            error: 'ratelimited',
            response_metadata: seconds === undefined ? {} : { retryAfter: seconds },
          });
        }
        limited += 1;
        // This method waits; every other method goes on.
        this.pausedUntil.set(method, Math.max(this.pausedUntil.get(method) ?? 0, Date.now() + seconds * 1000));
        continue;
      }
      if (answer.status !== 200) {
        const failure = new WebAPIHTTPError(
          answer.status,
          answer.statusText,
          Object.fromEntries(Object.entries(answer.headers).map(([k, v]) => [k, String(v)])),
          answer.body,
        );
        if (failures >= (retryConfig.retries ?? 0)) throw failure;
        await sleep(backoff(retryConfig, failures++));
        continue;
      }
      return this.result(answer);
    }
  }

  /** Parses an answer as @slack/web-api does: response metadata from the headers, warnings logged, `ok: false` thrown. */
  private result(answer: Answer): WebAPICallResult {
    let data: WebAPICallResult & { error?: string };
    try {
      data = JSON.parse(answer.body) as WebAPICallResult;
    } catch {
      data = { ok: false, error: answer.body };
    }
    data.response_metadata ??= {};
    const meta = data.response_metadata;
    const scopes = header(answer.headers, 'x-oauth-scopes');
    if (scopes !== undefined) meta.scopes = scopes.trim().split(/\s*,\s*/);
    const accepted = header(answer.headers, 'x-accepted-oauth-scopes');
    if (accepted !== undefined) meta.acceptedScopes = accepted.trim().split(/\s*,\s*/);
    const retryAfter = retryAfterOf(answer.headers);
    if (retryAfter !== undefined) meta.retryAfter = retryAfter;
    for (const w of meta.warnings ?? []) this.options.logger.warn(w);
    for (const m of meta.messages ?? []) {
      const error = /\[ERROR\](.*)/.exec(m)?.[1];
      const warning = /\[WARN\](.*)/.exec(m)?.[1];
      if (error) this.options.logger.error(error.trim());
      else if (warning) this.options.logger.warn(warning.trim());
    }
    if (!data.ok) throw new WebAPIPlatformError(data as WebAPICallResult & { error: string });
    return data;
  }

  /** One attempt: one request on a kept-alive connection, with one timer for the whole of it. */
  private send(url: URL, method: string, headers: Record<string, string>, body: string): Promise<Answer> {
    const https = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const req = (https ? httpsRequest : httpRequest)(
        url,
        { method: 'POST', headers, agent: https ? this.agents.https : this.agents.http },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', fail);
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      // The message names the method, never the URL (which may carry credentials) or a header.
      function fail(err: Error) {
        clearTimeout(timer);
        req.destroy();
        reject(new Error(`${method}: ${(err as NodeJS.ErrnoException).code ?? err.name}: ${err.message}`));
      }
      req.on('error', fail);
      if (this.options.timeoutMs > 0) {
        timer = setTimeout(
          () => fail(new Error(`no answer within ${this.options.timeoutMs} ms`)),
          this.options.timeoutMs,
        );
      }
      req.end(body);
    });
  }
}
