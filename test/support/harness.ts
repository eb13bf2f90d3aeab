import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RetryOptions } from '@slack/web-api';
import { createApp, type MeshApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Flow } from '../../src/engine/flow.js';
import { FileStore, type Store } from '../../src/store/index.js';
import { FileJournal } from '../../src/store/journal.js';
import { type Call, FakeSlack, HOME_TEAM, type StoredMessage } from './fake-slack.js';
import { readTeamFile, teamFileText as storedText } from './team-file.js';

export { HOME_TEAM } from './fake-slack.js';
export const SIGNING_SECRET = 'test-signing-secret-not-real';
export const BOT_TOKEN = 'xoxb-test-token';
export const CHANNEL = 'C0MESH';
export const ALICE = { id: 'U0ALICE', team: HOME_TEAM };
export const BOB = { id: 'U0BOB', team: HOME_TEAM };
/** A Slack Connect guest: same shared channel, another organisation. */
export const EVE = { id: 'U0EVE', team: 'T0OTHER' };
export type Person = { id: string; team: string };

type Json = Record<string, unknown>;

/** Signs a raw body exactly as Slack does: v0 HMAC-SHA256 of `v0:{ts}:{body}`. */
export function sign(
  body: string,
  secret = SIGNING_SECRET,
  ts = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const sig = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': `v0=${sig}` };
}

export type Harness = {
  fake: FakeSlack;
  dataDir: string;
  url: string;
  mesh: MeshApp;
  /** POSTs a raw body to /slack/events with the given headers (signed unless overridden). */
  post(body: string, contentType: string, headers?: Record<string, string>): Promise<Response>;
  command(text: string, who?: Person, channel?: string): Promise<Response>;
  /** Sends an interaction payload as Slack does (`payload=` form field). */
  interact(payload: Json): Promise<Response>;
  event(event: Json, team?: string): Promise<Response>;
  teamFile(team?: string): Json | undefined;
  teamFileText(team?: string): string | undefined;
  /**
   * Resolves once the bot has nothing left to do (its acknowledged work, queued Slack calls, journalled
   * requests, reminder round) and the fake has answered every call: wait on this, not on the clock,
   * before asserting that something happened exactly once or not at all.
   */
  idle(): Promise<void>;
  /** Stops this app and starts a fresh one on the same data dir and fake Slack. */
  restart(): Promise<Harness>;
  close(): Promise<void>;
};

export type HarnessOptions = {
  dataDir?: string;
  fake?: FakeSlack;
  now?: () => Date;
  /** Web API retries (default none, so a failing call does not stall a test). */
  retryConfig?: RetryOptions;
  /** Web API request timeout in ms (default the app's). */
  timeoutMs?: number;
  /** The store each start (and restart) gets; default a FileStore in `dataDir`. */
  store?: () => Store;
  /** Wraps the FileStore the app uses (e.g. to make one write fail). */
  wrapStore?: (store: Store) => Store;
  /** Requests in progress past which new ones are refused as busy (default the app's). */
  maxBacklog?: number;
  /** How long Bolt waits for an ack before answering 404 (default UNHANDLED_TIMEOUT_MS, not Bolt's 3 s). */
  unhandledRequestTimeoutMs?: number;
  /** Environment on top of the default (an undefined value removes a variable), e.g. OAuth instead of a bot token. */
  env?: Record<string, string | undefined>;
  /** How often the reminder round (revisit reminders, deadlines, unfinished drift notices) runs (default the app's). */
  reminderIntervalMs?: number;
  /** The catalogue and rules each start gets (default flows/): a restart may load an edited copy. */
  flow?: () => Flow;
};

/**
 * Bolt answers a request no listener acknowledged after this long. Its default, 3 s, is Slack's limit; in
 * tests a request nobody acks would make the test wait that out, and an ack here takes milliseconds.
 */
export const UNHANDLED_TIMEOUT_MS = 1000;

/** Starts the real app on an ephemeral port with a FileStore in a temp dir, talking to a loopback fake Slack. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = options.fake ?? (await new FakeSlack().start());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mesh-help-slack-'));
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    MESH_HELP_DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    ...options.env,
  });
  const mesh = await createApp(config, {
    store: options.store?.() ?? (options.wrapStore ?? ((s: Store) => s))(new FileStore(dataDir, { durable: false })),
    journal: new FileJournal(join(dataDir, 'journal'), { durable: false }),
    retryConfig: options.retryConfig ?? { retries: 0 },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxBacklog ? { maxBacklog: options.maxBacklog } : {}),
    unhandledRequestTimeoutMs: options.unhandledRequestTimeoutMs ?? UNHANDLED_TIMEOUT_MS,
    ...(options.now ? { now: options.now } : {}),
    ...(options.flow ? { flow: options.flow() } : {}),
    ...(options.reminderIntervalMs ? { reminderIntervalMs: options.reminderIntervalMs } : {}),
  });
  const { port } = await mesh.start();
  const url = `http://127.0.0.1:${port}`;
  const post = (body: string, contentType: string, headers?: Record<string, string>) =>
    fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: { 'Content-Type': contentType, ...(headers ?? sign(body)) },
      body,
    });
  // The file and, for a large team, its record log (what the JSON store reads).
  const teamFileText = (team = HOME_TEAM) => {
    const text = storedText(dataDir, team);
    return text && (text.log === undefined ? text.file : `${text.file}\n${text.log}`);
  };
  let closed = false;
  const h: Harness = {
    fake,
    dataDir,
    url,
    mesh,
    post,
    command: (text, who = ALICE, channel = CHANNEL) =>
      post(
        new URLSearchParams({
          token: 'deprecated-verification-token',
          team_id: who.team,
          team_domain: 'acme',
          channel_id: channel,
          channel_name: 'platform',
          user_id: who.id,
          user_name: who.id.toLowerCase(),
          command: '/mesh-help',
          text,
          api_app_id: 'A0MESH',
          response_url: fake.responseUrl(),
          trigger_id: `trigger-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
        }).toString(),
        'application/x-www-form-urlencoded',
      ),
    interact: (payload) =>
      post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded'),
    event: (event, team = HOME_TEAM) =>
      post(
        JSON.stringify({
          token: 'deprecated-verification-token',
          team_id: team,
          api_app_id: 'A0MESH',
          type: 'event_callback',
          event_id: `Ev${Date.now()}${Math.random().toString(36).slice(2, 6)}`,
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [{ team_id: team, user_id: 'U0BOT', is_bot: true }],
          event,
        }),
        'application/json',
      ),
    teamFile: (team = HOME_TEAM) => readTeamFile(dataDir, team) as Json | undefined,
    teamFileText,
    idle: async () => {
      // The bot's work can wait on the fake and the fake's answers start more work: loop until both are quiet.
      do {
        await mesh.idle();
        await fake.idle();
      } while (fake.busy);
      await mesh.idle();
    },
    restart: async () => {
      await h.mesh.stop();
      closed = true;
      // The store option is a factory: the restarted app gets a new store on the same data.
      return startHarness({ ...options, dataDir, fake });
    },
    close: async () => {
      if (!closed) await h.mesh.stop();
      closed = true;
      await fake.stop();
      try {
        rmSync(dataDir, { recursive: true, force: true });
      } catch {
        // a data folder a test made read-only or mounted is the test's to clean up
      }
    },
  };
  return h;
}

/* ---------- Payloads built from what the bot posted, as a person would click them ---------- */

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The actions block with this block_id in a stored message. */
export function blockOf(msg: StoredMessage, blockId: string): Json | undefined {
  return msg.blocks.find((b) => isObj(b) && b.block_id === blockId);
}

export function elementsOf(msg: StoredMessage, blockId: string): Json[] {
  const block = blockOf(msg, blockId);
  return Array.isArray(block?.elements) ? (block.elements as Json[]) : [];
}

/** Every action_id in a message. */
export function actionIds(msg: { blocks: Json[] } | Json): string[] {
  const blocks = (Array.isArray(msg.blocks) ? msg.blocks : []) as Json[];
  return blocks
    .flatMap((b) => (Array.isArray(b.elements) ? (b.elements as Json[]) : []))
    .flatMap((e) => (typeof e.action_id === 'string' ? [e.action_id] : []));
}

/** All text of a message's blocks, for assertions on wording. */
export function textOf(msg: { blocks: Json[]; text?: string } | Json): string {
  return JSON.stringify(msg.blocks ?? []);
}

function base(fake: FakeSlack, msg: StoredMessage, who: Person): Json {
  return {
    type: 'block_actions',
    api_app_id: 'A0MESH',
    token: 'deprecated-verification-token',
    trigger_id: `trigger-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
    user: { id: who.id, username: who.id.toLowerCase(), name: who.id.toLowerCase(), team_id: who.team },
    team: { id: who.team, domain: 'x' },
    channel: { id: msg.channel, name: 'platform' },
    container: {
      type: 'message',
      message_ts: msg.ts,
      channel_id: msg.channel,
      is_ephemeral: false,
      ...(msg.thread_ts ? { thread_ts: msg.thread_ts } : {}),
    },
    message: {
      type: 'message',
      user: 'U0BOT',
      ts: msg.ts,
      text: msg.text,
      blocks: msg.blocks,
      ...(msg.thread_ts ? { thread_ts: msg.thread_ts } : {}),
    },
    response_url: fake.responseUrl(),
  };
}

/** Clicks the button with `value` in block `blockId` of a message, as it currently looks. */
export function clickPayload(fake: FakeSlack, msg: StoredMessage, blockId: string, value: string, who: Person): Json {
  const button = elementsOf(msg, blockId).find((e) => e.type === 'button' && e.value === value);
  if (!button) throw new Error(`no button ${value} in ${blockId} of ${msg.ts}`);
  return {
    ...base(fake, msg, who),
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: blockId,
        value,
        text: button.text,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/** Ticks `values` in a checkboxes question and clicks its confirm button (state.values as Slack sends it). */
export function confirmPayload(
  fake: FakeSlack,
  msg: StoredMessage,
  blockId: string,
  values: string[],
  who: Person,
): Json {
  const els = elementsOf(msg, blockId);
  const boxes = els.find((e) => e.type === 'checkboxes');
  const confirm = els.find((e) => e.type === 'button');
  if (!boxes || !confirm) throw new Error(`no checkboxes + confirm in ${blockId}`);
  const options = (boxes.options as Json[]).filter((o) => values.includes(String(o.value)));
  return {
    ...base(fake, msg, who),
    state: { values: { [blockId]: { [String(boxes.action_id)]: { type: 'checkboxes', selected_options: options } } } },
    actions: [
      {
        type: 'button',
        action_id: confirm.action_id,
        block_id: blockId,
        value: confirm.value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/** Clicks a button found by action_id anywhere in the message. */
export function actionPayload(fake: FakeSlack, msg: StoredMessage, actionId: string, who: Person): Json {
  for (const b of msg.blocks) {
    for (const e of (Array.isArray(b.elements) ? b.elements : []) as Json[]) {
      if (e.action_id === actionId) {
        return {
          ...base(fake, msg, who),
          actions: [
            {
              type: 'button',
              action_id: actionId,
              block_id: b.block_id,
              value: e.value,
              action_ts: `${Date.now() / 1000}`,
            },
          ],
        };
      }
    }
  }
  throw new Error(`no ${actionId} in ${msg.ts}`);
}

/** The question message for `questionId` in a thread (the newest that carries its block). */
export function questionMessage(
  fake: FakeSlack,
  channel: string,
  threadTs: string,
  questionId: string,
): StoredMessage | undefined {
  return fake
    .thread(channel, threadTs)
    .filter((m) => blockOf(m, `q:${questionId}`))
    .at(-1);
}

/** The thread's interview message: the bot's message that holds the answers or a `q:` block (first posted). */
export function interviewOf(fake: FakeSlack, threadTs: string, channel = CHANNEL): StoredMessage | undefined {
  return fake
    .thread(channel, threadTs)
    .find(
      (m) =>
        m.ts !== threadTs &&
        m.blocks.some((b) => isObj(b) && (b.block_id === 'interview:answers' || String(b.block_id).startsWith('q:'))),
    );
}

/** Picks `questionId` in the interview message's "Change an answer" menu (a section accessory), as Slack sends it. */
export function changePayload(fake: FakeSlack, msg: StoredMessage, questionId: string, who: Person): Json {
  const block = msg.blocks.find(
    (b) => isObj(b.accessory) && String(b.accessory.action_id).startsWith('interview:change'),
  );
  const menu = block?.accessory as Json | undefined;
  const option = ((menu?.options ?? []) as Json[]).find((o) => o.value === questionId);
  if (!block || !menu || !option) throw new Error(`no Change entry for ${questionId} in ${msg.ts}`);
  return {
    ...base(fake, msg, who),
    actions: [
      {
        type: 'static_select',
        action_id: menu.action_id,
        block_id: block.block_id,
        selected_option: option,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/** A call that posts a message, or updates one that lives in `threadTs`'s thread (the interview message is updated). */
export function shapesThread(fake: FakeSlack, c: Call, channel: string, threadTs: string): boolean {
  if (c.method === 'chat.postMessage') return c.params.thread_ts === threadTs;
  if (c.method !== 'chat.update') return false;
  return fake.message(channel, String(c.params.ts ?? ''))?.thread_ts === threadTs;
}

export const isPost = (c: Call) => c.method === 'chat.postMessage';
export const postsOfBlock = (fake: FakeSlack, blockId: string) =>
  fake.calls.filter(
    (c) =>
      isPost(c) && Array.isArray(c.params.blocks) && (c.params.blocks as Json[]).some((b) => b.block_id === blockId),
  );

/** Clicks the button beside a section (its accessory), found by the section's block_id. */
export function accessoryPayload(fake: FakeSlack, msg: StoredMessage, blockId: string, who: Person): Json {
  const accessory = blockOf(msg, blockId)?.accessory;
  if (!isObj(accessory)) throw new Error(`no button beside ${blockId} in ${msg.ts}`);
  return {
    ...base(fake, msg, who),
    actions: [
      {
        type: 'button',
        action_id: accessory.action_id,
        block_id: blockId,
        value: accessory.value,
        text: accessory.text,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/** Picks the option whose value starts with `prefix` in the static select `actionId`, as Slack sends the choice. */
export function selectPayload(
  fake: FakeSlack,
  msg: StoredMessage,
  actionId: string,
  prefix: string,
  who: Person,
): Json {
  for (const b of msg.blocks) {
    for (const e of (Array.isArray(b.elements) ? b.elements : []) as Json[]) {
      if (e.action_id !== actionId || e.type !== 'static_select') continue;
      const option = ((e.options ?? []) as Json[]).find((o) => String(o.value).startsWith(prefix));
      if (!option) throw new Error(`no option ${prefix}… in ${actionId} of ${msg.ts}`);
      return {
        ...base(fake, msg, who),
        actions: [
          {
            type: 'static_select',
            action_id: actionId,
            block_id: b.block_id,
            selected_option: option,
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      };
    }
  }
  throw new Error(`no select ${actionId} in ${msg.ts}`);
}
