// The honest floor: what a click must cost and no more. It verifies and parses a signed request, appends it to a
// journal flushed in groups before the ack, then saves one small JSON object atomically, makes the same three Web
// API calls as the bot (through fetch, as @slack/web-api does), and marks the request done in the next flush.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const secret = process.env.SLACK_SIGNING_SECRET ?? '';
const token = process.env.SLACK_BOT_TOKEN ?? '';
const api = process.env.SLACK_API_URL ?? '';
const dir = process.env.MESH_HELP_DATA_DIR ?? '.';
await mkdir(join(dir, 'floor'), { recursive: true });
const journal: FileHandle = await open(join(dir, 'floor', 'journal.jsonl'), 'a');

/** Lines waiting for the next flush, and whoever waits for it; one flush runs at a time. */
let queued: string[] = [];
let waiting: (() => void)[] = [];
let flushing = false;
async function flush(): Promise<void> {
  if (flushing || queued.length === 0) return;
  flushing = true;
  const [lines, done] = [queued, waiting];
  queued = [];
  waiting = [];
  await journal.write(lines.join(''));
  await journal.datasync();
  flushing = false;
  for (const resolve of done) resolve();
  void flush();
}
function append(line: string, wait: boolean): Promise<void> {
  queued.push(`${line}\n`);
  const flushed = wait ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve();
  void flush();
  return flushed;
}

function verified(req: IncomingMessage, body: string): boolean {
  const ts = String(req.headers['x-slack-request-timestamp'] ?? '');
  const sig = Buffer.from(String(req.headers['x-slack-signature'] ?? ''));
  const want = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`);
  return Math.abs(Date.now() / 1000 - Number(ts)) < 300 && sig.length === want.length && timingSafeEqual(sig, want);
}

async function call(method: string, args: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${api}${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(args),
  });
  await res.json();
}

/** At most four requests' work at once after their acks, as the bot's work slots: the journal's flush never queues behind it. */
let running = 0;
const slots: (() => void)[] = [];
async function slot<T>(run: () => Promise<T>): Promise<T> {
  if (running >= 4) await new Promise<void>((resolve) => slots.push(resolve));
  running += 1;
  try {
    return await run();
  } finally {
    running -= 1;
    slots.shift()?.();
  }
}

let seq = 0;
/** The work after the ack: one atomic save, three Web API calls, the done mark. */
async function work(id: string, channel: string, input: unknown): Promise<void> {
  const file = join(dir, 'floor', `${id}.json`);
  const tmp = `${file}.${++seq}.tmp`;
  const fh = await open(tmp, 'w');
  await fh.writeFile(JSON.stringify({ id, input, at: new Date().toISOString() }));
  await fh.datasync();
  await fh.close();
  await rename(tmp, file);
  await call('chat.postMessage', {
    channel,
    text: 'one',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'one' } }],
  });
  await call('chat.postMessage', {
    channel,
    text: 'two',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'two' } }],
  });
  await call('chat.update', { channel, ts: '1.1', text: 'three' });
  void append(JSON.stringify({ done: id }), false);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && req.url === '/healthz') {
    res.writeHead(200).end('{"ok":true}');
    return;
  }
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString();
  if (!verified(req, body)) {
    res.writeHead(401).end();
    return;
  }
  const form = new URLSearchParams(body);
  const payload = form.get('payload');
  const parsed = payload ? (JSON.parse(payload) as { channel?: { id?: string }; trigger_id?: string }) : undefined;
  const id = parsed?.trigger_id ?? form.get('trigger_id') ?? `r${seq}`;
  const channel = parsed?.channel?.id ?? form.get('channel_id') ?? 'C0';
  await append(JSON.stringify({ id, body }), true);
  res.writeHead(200).end();
  void slot(() => work(id, channel, parsed ?? Object.fromEntries(form)));
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: unknown) => {
    process.stderr.write(`floor: ${String(err)}\n`);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stderr.write(`floor: listening on :${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () =>
  server.close(() => void writeFile(join(dir, 'floor', 'closed'), '').then(() => process.exit(0))),
);
