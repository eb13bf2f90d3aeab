// File-system calls per interaction, for `strace`: runs the bot in-process (durable store and journal, as
// `npm start`) against the fake Slack, opens N interviews, then clicks an answer in each, one at a time, and
// stats two marker paths around each phase so a trace can be cut into starts and clicks. See bench/README.md.
//   strace -f -qq -y -o /tmp/fs.trace -e trace=%file,%desc node --import tsx bench/fs-calls.ts
//   node --import tsx bench/fs-calls.ts --count /tmp/fs.trace
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { FileStore } from '../src/store/index.js';
import { FileJournal } from '../src/store/journal.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { ALICE, BOT_TOKEN, clickPayload, SIGNING_SECRET, sign } from '../test/support/harness.js';

const N = Number(process.env.FS_CALLS_N) || 20;
/** FS_CALLS_BURST=1: every start, then every click, sent at once (as under load) instead of one at a time. */
const BURST = process.env.FS_CALLS_BURST === '1';
const MARK = '/mesh-help-fs-calls-mark-';
const mark = (what: string) => {
  try {
    statSync(`${MARK}${what}`);
  } catch {
    // the marker is the failed stat itself
  }
};

/** Counts the trace's calls on files under the data folder, per phase and per call name. */
function count(trace: string): void {
  const dir = /mesh-fs-calls-[A-Za-z0-9]+/;
  let phase = '';
  const tally = new Map<string, Map<string, number>>();
  for (const line of readFileSync(trace, 'utf8').split('\n')) {
    const m = line.includes(MARK) ? new RegExp(`${MARK}([a-z-]+)`).exec(line) : null;
    if (m) {
      phase = m[1] ?? '';
      continue;
    }
    if (!phase.endsWith('-begin') || !dir.test(line)) continue;
    const call = /^\d+\s+([a-z0-9_]+)\(/.exec(line)?.[1];
    if (!call) continue;
    const t = tally.get(phase) ?? new Map<string, number>();
    t.set(call, (t.get(call) ?? 0) + 1);
    tally.set(phase, t);
  }
  for (const [phase, t] of tally) {
    const total = [...t.values()].reduce((a, b) => a + b, 0);
    const parts = [...t.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / N).toFixed(1)}`);
    console.log(`${phase.replace(/-begin$/, '')}: ${(total / N).toFixed(1)} calls each (${parts.join(', ')})`);
  }
}

async function run(): Promise<void> {
  const fake = await new FakeSlack().start();
  const dataDir = mkdtempSync(join(tmpdir(), 'mesh-fs-calls-'));
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    MESH_HELP_DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
  });
  const mesh = await createApp(config, {
    store: new FileStore(dataDir),
    journal: new FileJournal(join(dataDir, 'journal')),
    retryConfig: { retries: 0 },
  });
  const { port } = await mesh.start();
  const post = (body: string, type: string) =>
    fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: { 'Content-Type': type, ...sign(body) },
      body,
    });
  const command = (text: string, channel: string) =>
    post(
      new URLSearchParams({
        team_id: ALICE.team,
        channel_id: channel,
        user_id: ALICE.id,
        command: '/mesh-help',
        text,
        api_app_id: 'A0MESH',
        response_url: fake.responseUrl(),
        trigger_id: `trigger-${channel}`,
      }).toString(),
      'application/x-www-form-urlencoded',
    );
  await command('config limits 1 10000', 'C0SETUP');
  // A warm-up interview, so the first start does not count the team file's creation.
  await command('start Warm-up', 'C0WARM');
  await mesh.idle();
  mark('starts-begin');
  if (BURST) await Promise.all(Array.from({ length: N }, (_, i) => command(`start Interview ${i}`, `C0FS${i}`)));
  for (let i = 0; i < N && !BURST; i++) {
    await command(`start Interview ${i}`, `C0FS${i}`);
    await mesh.idle();
  }
  await mesh.idle();
  mark('starts-end');
  const questions = [...fake.messages.values()].filter(
    (m) => m.channel.startsWith('C0FS') && m.thread_ts && JSON.stringify(m.blocks).includes('"q:clusters"'),
  );
  mark('clicks-begin');
  const click = (q: (typeof questions)[number]) =>
    post(
      new URLSearchParams({
        payload: JSON.stringify(clickPayload(fake, q, 'q:clusters', 'multi-region', ALICE)),
      }).toString(),
      'application/x-www-form-urlencoded',
    );
  if (BURST) await Promise.all(questions.slice(0, N).map(click));
  for (const q of BURST ? [] : questions.slice(0, N)) {
    await click(q);
    await mesh.idle();
  }
  await mesh.idle();
  mark('clicks-end');
  await mesh.stop();
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`${N} starts, ${Math.min(N, questions.length)} clicks`);
}

if (process.argv[2] === '--count') count(process.argv[3] ?? '');
else await run();
