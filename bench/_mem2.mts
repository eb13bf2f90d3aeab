import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { signed } from './load.ts';

const child = spawn(process.execPath, ['--import', 'tsx', 'bench/servers/fake-slack.ts'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const line: string = await new Promise((r) => child.stdout.once('data', (d) => r(d.toString())));
const { apiUrl, url } = JSON.parse(line);
const mesh = await createApp(
  loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-x',
    SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef',
    SLACK_API_URL: apiUrl,
    PORT: '0',
    MESH_HELP_DATA_DIR: mkdtempSync(join(tmpdir(), 'm-')),
    LOG_LEVEL: 'error',
  }),
);
const { port } = await mesh.start();
const mem = (l: string) => {
  (globalThis as any).gc();
  const m = process.memoryUsage();
  console.log(
    l,
    'rss',
    (m.rss / 2 ** 20).toFixed(0),
    'heapUsed',
    (m.heapUsed / 2 ** 20).toFixed(0),
    'heapTotal',
    (m.heapTotal / 2 ** 20).toFixed(0),
    'ext',
    (m.external / 2 ** 20).toFixed(0),
  );
};
mem('idle');
let n = 0;
for (let b = 0; b < 10; b++) {
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      const body = new URLSearchParams({
        team_id: 'T0HOME',
        channel_id: 'C1',
        user_id: 'U1',
        command: '/mesh-help',
        text: `start T${n++}`,
        response_url: `${url}/respond/1`,
        trigger_id: 't',
      }).toString();
      const r = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: signed(body, 'abcdef0123456789abcdef'),
        body,
      });
      await r.arrayBuffer();
    }),
  );
  await new Promise((r) => setTimeout(r, 1500));
  mem(`after ${(b + 1) * 100}`);
}
if (process.env.SNAP) v8.writeHeapSnapshot('/tmp/mesh.heapsnapshot');
await mesh.stop();
child.kill();
