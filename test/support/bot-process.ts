import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { FakeSlack } from './fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET, sign } from './harness.js';

const BIN = new URL('../../bin/mesh-help.js', import.meta.url).pathname;

/** The real `mesh-help start` process (what `npm start` runs), talking to a loopback fake Slack. */
export type BotProcess = {
  url: string;
  pid: number;
  /** Everything the process wrote to stderr so far. */
  log(): string;
  /** POSTs a signed body to /slack/events. */
  post(body: string, contentType: string): Promise<Response>;
  /** Sends a signal and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  exited: Promise<number | null>;
};

/** Starts the bot on a free port with `dataDir`; resolves once it listens. */
export async function startBotProcess(
  fake: FakeSlack,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<BotProcess> {
  const child: ChildProcessByStdio<null, null, Readable> = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      MESH_HELP_DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /listening on :(\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`the bot exited (${code}) before listening:\n${stderr}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid ?? 0,
    log: () => stderr,
    post: (body, contentType) =>
      fetch(`${url}/slack/events`, { method: 'POST', headers: { 'Content-Type': contentType, ...sign(body) }, body }),
    kill: async (signal) => {
      child.kill(signal);
      await exited;
    },
    exited,
  };
}

type Json = Record<string, unknown>;
const FORM = 'application/x-www-form-urlencoded';

/** Bodies as Slack sends them, for a bot process (the in-process harness has its own). */
export const bodies = {
  command: (fake: FakeSlack, text: string, user: { id: string; team: string }, channel: string) =>
    [
      new URLSearchParams({
        token: 'deprecated-verification-token',
        team_id: user.team,
        team_domain: 'acme',
        channel_id: channel,
        channel_name: 'platform',
        user_id: user.id,
        user_name: user.id.toLowerCase(),
        command: '/mesh-help',
        text,
        api_app_id: 'A0MESH',
        response_url: fake.responseUrl(),
        trigger_id: `trigger-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
      }).toString(),
      FORM,
    ] as const,
  interaction: (payload: Json) => [new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM] as const,
  event: (event: Json, eventId: string, team: string) =>
    [
      JSON.stringify({
        token: 'deprecated-verification-token',
        team_id: team,
        api_app_id: 'A0MESH',
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: team, user_id: 'U0BOT', is_bot: true }],
        event,
      }),
      'application/json',
    ] as const,
};
