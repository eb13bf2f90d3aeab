import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkMessage, checkView } from './block-kit.js';

type Json = Record<string, unknown>;

/** One call the bot made: a Web API method, or a post to a response_url (`method: 'response_url'`). */
export type Call = {
  seq: number;
  method: string;
  params: Json;
  token?: string | undefined;
  path: string;
  /** When the call arrived (ms since the epoch). */
  at: number;
};

/** A message as the fake workspace holds it (posted, then maybe updated). */
export type StoredMessage = {
  channel: string;
  ts: string;
  thread_ts?: string | undefined;
  text: string;
  blocks: Json[];
  /** Message metadata (`event_type`, `event_payload`) as posted. */
  metadata?: Json | undefined;
  /** A person's message (seeded with `personSays`); the bot's own have none. */
  user?: string | undefined;
};

/** A file the bot uploaded and shared (files.getUploadURLExternal, the upload, files.completeUploadExternal). */
export type UploadedFile = {
  id: string;
  filename: string;
  title?: string | undefined;
  altText?: string | undefined;
  channel?: string | undefined;
  threadTs?: string | undefined;
  /** The exact bytes posted to the upload URL. */
  bytes: Buffer;
};

/** An HTTP-level failure of one Web API call (see FakeSlack.faultNext). */
export type HttpFault = { status: number; retryAfter?: number; delayMs?: number };

export const HOME_TEAM = 'T0HOME';
export const BOT_USER = 'U0BOT';

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'response_url']);
const VIEW_METHODS = new Set(['views.open', 'views.publish', 'views.update', 'views.push']);

/**
 * A loopback Slack Web API: answers every method the bot uses with plausible
 * data, records each call with its parsed params, keeps the messages it posted,
 * and checks every message and view against Block Kit's limits.
 */
export class FakeSlack {
  readonly calls: Call[] = [];
  /** Block Kit problems found in what the bot sent, with the call that sent it. */
  readonly violations: string[] = [];
  readonly messages = new Map<string, StoredMessage>();
  /** Workspace admins as users.info reports them (`is_admin`); Alice administers the fake workspace, Bob does not. */
  readonly admins = new Set<string>(['U0ALICE']);
  /** Time zones users.info reports (`tz`); people not listed have none. */
  readonly zones = new Map<string, string>();
  /** C… channels conversations.info reports as private (G… and D… ids the bot knows by their id). */
  readonly privateChannels = new Set<string>();
  /** Members of a conversation, for conversations.members (unlisted conversations have none). */
  readonly members = new Map<string, string[]>();
  /** Files shared by files.completeUploadExternal, in order, with the bytes uploaded for each. */
  readonly files: UploadedFile[] = [];
  /** Upload URLs handed out and not yet completed: what getUploadURLExternal was told, and the bytes once posted. */
  private readonly uploads = new Map<string, { filename: string; altText?: string | undefined; bytes?: Buffer }>();
  private server: Server | undefined;
  private seq = 0;
  private tsCounter = 0;
  private readonly failures = new Map<string, string[]>();
  private readonly holds: Array<{ method: string; when: (p: Json) => boolean; apply: boolean; held: () => void }> = [];
  private readonly conditional: { method: string; when: (params: Json) => boolean; error: string }[] = [];
  private readonly httpFaults = new Map<string, HttpFault[]>();
  private readonly waiters = new Set<() => void>();
  private lastCallAt = Date.now();
  /** Requests being answered (a held call, never answered, counts no longer once it is held). */
  private answering = 0;
  private readonly answered = new Set<() => void>();
  url = '';
  private readonly unchecked: Call[] = [];

  /** `deferChecks`: check Block Kit limits only when checkPending() is called (the benchmark's fake keeps its CPU idle). */
  constructor(private readonly options: { deferChecks?: boolean } = {}) {}

  private check(call: Call): void {
    const problems = MESSAGE_METHODS.has(call.method)
      ? checkMessage(call.params)
      : VIEW_METHODS.has(call.method)
        ? checkView(call.params.view)
        : [];
    for (const p of problems) this.violations.push(`${call.method} #${call.seq}: ${p}`);
  }

  /** Checks the calls recorded since the last check (with `deferChecks`). */
  checkPending(): void {
    for (const call of this.unchecked.splice(0)) this.check(call);
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      // Pending until answered, or until the caller went away (a client timeout: nobody waits for it any more).
      this.answering += 1;
      let pending = true;
      const done = () => {
        if (!pending) return;
        pending = false;
        this.answering -= 1;
        if (this.answering === 0) for (const resolve of [...this.answered]) resolve();
      };
      res.once('close', done);
      this.handle(req, res)
        .catch((err) => {
          res.writeHead(500);
          res.end(String(err));
        })
        .finally(done);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A message a person wrote in the workspace (not through the bot), for threads the bot reads back. */
  personSays(channel: string, user: string, text: string, threadTs?: string): StoredMessage {
    const ts = this.nextTs();
    const stored: StoredMessage = { channel, ts, thread_ts: threadTs, text, blocks: [], user };
    this.messages.set(`${channel}/${ts}`, stored);
    return stored;
  }

  /** The next call of `method` answers `{ ok: false, error }`. */
  failNext(method: string, error: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /** The next call of `method` whose params match `when` answers `{ ok: false, error }` (e.g. only thread replies). */
  failNextMatching(method: string, when: (params: Json) => boolean, error: string): void {
    this.conditional.push({ method, when, error });
  }

  /**
   * The next call of `method` whose params match `when` is never answered, as
   * when the bot dies in the middle of it: with `apply` it takes effect first
   * (a post is stored), without it does not. Resolves once the call came in.
   */
  holdNextMatching(method: string, when: (params: Json) => boolean, apply: boolean): Promise<void> {
    return new Promise((held) => this.holds.push({ method, when, apply, held }));
  }

  /** The next call of `method` fails at the HTTP level: a status (429 with Retry-After, 500), or a hang. */
  faultNext(method: string, fault: HttpFault): void {
    this.httpFaults.set(method, [...(this.httpFaults.get(method) ?? []), fault]);
  }

  /** A fresh response_url for a request payload. */
  responseUrl(): string {
    return `${this.url}/respond/${++this.seq}`;
  }

  called(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(`${channel}/${ts}`);
  }

  /** Messages in a thread (replies only), oldest first. */
  thread(channel: string, threadTs: string): StoredMessage[] {
    return [...this.messages.values()]
      .filter((m) => m.channel === channel && m.thread_ts === threadTs && m.ts !== threadTs)
      .sort((a, b) => Number(a.ts) - Number(b.ts));
  }

  /** Resolves with the first call (already made or future) matching `pred`. */
  waitFor(pred: (c: Call) => boolean, timeoutMs = 5000, what = 'a matching call'): Promise<Call> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.calls.find(pred);
        if (hit) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(', ')}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** True while some request is being answered. */
  get busy(): boolean {
    return this.answering > 0;
  }

  /** Resolves once no request is being answered (held calls aside). */
  idle(): Promise<void> {
    if (this.answering === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.answered.delete(done);
        resolve();
      };
      this.answered.add(done);
    });
  }

  /**
   * Resolves once no call has arrived for `quietMs`. For a bot in this process, prefer the harness's
   * `h.idle()`, which waits on the bot itself; this is for bots in other processes.
   */
  async settle(quietMs = 200, timeoutMs = 5000): Promise<void> {
    const start = Date.now();
    // Quiet for quietMs from now on too: work acked a moment ago may not have called yet.
    while (Date.now() - Math.max(this.lastCallAt, start) < quietMs) {
      if (Date.now() - start > timeoutMs) throw new Error('the bot kept calling Slack');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private record(call: Omit<Call, 'seq' | 'at'>): Call {
    const full = { ...call, seq: this.calls.length + 1, at: Date.now() };
    this.calls.push(full);
    this.lastCallAt = Date.now();
    if (this.options.deferChecks) this.unchecked.push(full);
    else this.check(full);
    for (const w of [...this.waiters]) w();
    return full;
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${1_700_000_000 + this.tsCounter}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBytes = Buffer.concat(chunks);
    const raw = rawBytes.toString('utf8');
    const path = new URL(req.url ?? '/', this.url).pathname;
    const reply = (status: number, body: Json) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path.startsWith('/respond/')) {
      this.record({ method: 'response_url', params: JSON.parse(raw || '{}') as Json, path });
      reply(200, { ok: true });
      return;
    }
    if (path.startsWith('/upload/')) {
      // The bytes are kept so tests can read what was uploaded; the path names the file id.
      this.record({ method: 'upload', params: { bytes: rawBytes.length, body: raw }, path });
      const pending = this.uploads.get(path.slice('/upload/'.length));
      if (pending) pending.bytes = await uploadedBytes(rawBytes, req.headers['content-type']);
      res.writeHead(200);
      res.end('OK');
      return;
    }
    if (!path.startsWith('/api/')) {
      reply(404, { ok: false, error: 'unknown_path' });
      return;
    }
    const method = path.slice('/api/'.length);
    const params = parseParams(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' ? auth.replace(/^Bearer /, '') : (params.token as string | undefined);
    this.record({ method, params, token, path });
    const fault = this.httpFaults.get(method)?.shift();
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      res.writeHead(fault.status, {
        'Content-Type': 'application/json',
        ...(fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {}),
      });
      res.end(JSON.stringify({ ok: false, error: fault.status === 429 ? 'ratelimited' : 'internal_error' }));
      return;
    }
    const holding = this.holds.findIndex((h) => h.method === method && h.when(params));
    if (holding >= 0) {
      const [hold] = this.holds.splice(holding, 1);
      if (hold?.apply) this.answer(method, params);
      hold?.held();
      return; // no answer: the connection stays open until the caller goes away or the fake stops
    }
    const hit = this.conditional.findIndex((f) => f.method === method && f.when(params));
    const failure = hit >= 0 ? this.conditional.splice(hit, 1)[0]?.error : this.failures.get(method)?.shift();
    if (failure) {
      reply(200, { ok: false, error: failure });
      return;
    }
    reply(200, this.answer(method, params));
  }

  private answer(method: string, p: Json): Json {
    const channel = typeof p.channel === 'string' ? p.channel : '';
    switch (method) {
      case 'apps.connections.open':
        // Socket Mode: the app connects here; see test/slack/e2e/socket-mode.test.ts.
        return { ok: true, url: `${this.url.replace('http', 'ws')}/link` };
      case 'oauth.v2.access': {
        // The install flow's code exchange: `code-<team>` installs in a workspace, `org-<enterprise>` org-wide.
        const code = String(p.code ?? '');
        const org = code.startsWith('org-') ? code.slice(4) : undefined;
        const team = code.startsWith('code-') ? code.slice(5) : undefined;
        if (!org && !team) return { ok: false, error: 'invalid_code' };
        return {
          ok: true,
          app_id: 'A0MESH',
          authed_user: { id: 'U0INSTALLER' },
          scope: 'commands,chat:write',
          token_type: 'bot',
          access_token: `xoxb-installed-${org ?? team}`,
          bot_user_id: BOT_USER,
          team: org ? null : { id: team, name: `Workspace ${team}` },
          enterprise: org ? { id: org, name: `Org ${org}` } : null,
          is_enterprise_install: Boolean(org),
        };
      }
      case 'auth.test':
        return {
          ok: true,
          url: 'https://acme.example/',
          team: 'Acme',
          team_id: HOME_TEAM,
          user: 'mesh-help',
          user_id: BOT_USER,
          bot_id: 'B0BOT',
        };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        const stored: StoredMessage = {
          channel,
          ts,
          thread_ts: typeof p.thread_ts === 'string' ? p.thread_ts : undefined,
          text: String(p.text ?? ''),
          blocks: (p.blocks as Json[] | undefined) ?? [],
          metadata: typeof p.metadata === 'object' && p.metadata !== null ? (p.metadata as Json) : undefined,
        };
        this.messages.set(`${channel}/${ts}`, stored);
        return { ok: true, channel, ts, message: { text: stored.text, ts, user: BOT_USER } };
      }
      case 'chat.update': {
        const ts = String(p.ts ?? '');
        const existing = this.messages.get(`${channel}/${ts}`);
        if (!existing) return { ok: false, error: 'message_not_found' };
        existing.text = String(p.text ?? existing.text);
        existing.blocks = (p.blocks as Json[] | undefined) ?? existing.blocks;
        return { ok: true, channel, ts, text: existing.text };
      }
      case 'conversations.info':
        return {
          ok: true,
          channel: { id: channel, is_channel: true, is_private: this.privateChannels.has(channel), is_im: false },
        };
      case 'conversations.members':
        return { ok: true, members: this.members.get(channel) ?? [], response_metadata: { next_cursor: '' } };
      case 'chat.delete': {
        const key = `${channel}/${String(p.ts ?? '')}`;
        if (!this.messages.has(key)) return { ok: false, error: 'message_not_found' };
        this.messages.delete(key);
        return { ok: true, channel, ts: p.ts };
      }
      case 'conversations.history': {
        // A channel's top-level messages, newest first; metadata only when asked for, as Slack does.
        const withMeta = p.include_all_metadata === true;
        const messages = [...this.messages.values()]
          .filter((m) => m.channel === channel && !m.thread_ts)
          .sort((a, b) => Number(b.ts) - Number(a.ts))
          .map((m) => ({ ts: m.ts, text: m.text, ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) }));
        return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
      }
      case 'conversations.replies': {
        // A thread's parent and replies, oldest first; metadata only when asked for, as Slack does.
        const root = String(p.ts ?? '');
        const withMeta = p.include_all_metadata === true;
        const messages = [...this.messages.values()]
          .filter((m) => m.channel === channel && (m.ts === root || m.thread_ts === root))
          .sort((a, b) => Number(a.ts) - Number(b.ts))
          .map((m) => ({
            ts: m.ts,
            text: m.text,
            ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
            ...(m.user ? { user: m.user } : { user: BOT_USER, bot_id: 'B0BOT' }),
            ...(withMeta && m.metadata ? { metadata: m.metadata } : {}),
          }));
        return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'users.info': {
        const id = String(p.user ?? '');
        if (!/^[UW][A-Z0-9]+$/.test(id)) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id,
            team_id: HOME_TEAM,
            name: id.toLowerCase(),
            is_admin: this.admins.has(id),
            is_owner: false,
            ...(this.zones.has(id) ? { tz: this.zones.get(id) } : {}),
          },
        };
      }
      case 'chat.getPermalink':
        return {
          ok: true,
          channel,
          permalink: `https://acme.example/archives/${channel}/p${String(p.message_ts).replace('.', '')}`,
        };
      case 'views.open':
      case 'views.publish':
      case 'views.update':
      case 'views.push':
        return { ok: true, view: { id: `V${this.calls.length}`, ...(p.view as Json) } };
      case 'files.getUploadURLExternal': {
        const id = `F0FILE${this.calls.length}`;
        const altText = typeof p.alt_text === 'string' ? p.alt_text : undefined;
        this.uploads.set(id, { filename: String(p.filename ?? ''), altText });
        return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const listed = Array.isArray(p.files) ? (p.files as Json[]) : [];
        for (const f of listed) {
          const id = String(f.id ?? '');
          const pending = this.uploads.get(id);
          if (!pending?.bytes) return { ok: false, error: 'file_not_found' };
          this.uploads.delete(id);
          this.files.push({
            id,
            filename: pending.filename,
            title: typeof f.title === 'string' ? f.title : undefined,
            altText: pending.altText,
            channel: typeof p.channel_id === 'string' ? p.channel_id : undefined,
            threadTs: typeof p.thread_ts === 'string' ? p.thread_ts : undefined,
            bytes: pending.bytes,
          });
        }
        return { ok: true, files: listed.map((f) => ({ id: f.id, title: f.title ?? 'file' })) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** The file's bytes in an upload: the one file part of a multipart form (as web-api sends it), else the raw body. */
async function uploadedBytes(raw: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'Content-Type': contentType } }).formData();
  // A part with a file name is a Blob; text fields are strings.
  const file = [...form.values()].find((v) => typeof v !== 'string') as unknown as Blob | undefined;
  if (!file) throw new Error('multipart upload without a file part');
  return Buffer.from(await file.arrayBuffer());
}

/** web-api sends form-encoded params with nested values as JSON strings. */
function parseParams(raw: string, contentType: string | undefined): Json {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}') as Json;
  const out: Json = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v)
      ? (() => {
          try {
            return JSON.parse(v) as unknown;
          } catch {
            return v;
          }
        })()
      : v === 'true'
        ? true
        : v === 'false'
          ? false
          : v;
  }
  return out;
}
