// npm run bench: ack latency beside bare Bolt, the store, memory, start-up and ADR export, in one run.
// Prints a table, then one JSON object with every figure as the last line.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { StoredMessage } from '../test/support/fake-slack.js';
import { ALICE, clickPayload } from '../test/support/harness.js';
import { benchExport } from './export.js';
import { drive, type Latency, waitHealthy } from './load.js';
import { median, round } from './stats.js';
import { benchStore } from './store.js';
import { benchPgStore, type PgStoreFigures } from './store-pg.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'bench-signing-secret-not-real';
const TOKEN = 'xoxb-bench-not-real';
const TEAM = 'T0HOME';
const CHANNEL = 'C0BENCH';
const LEVELS = [
  { concurrency: 1, requests: 100 },
  { concurrency: 50, requests: 300 },
  { concurrency: 200, requests: 600 },
] as const;
/** Node's flags for the bot, as `npm start` passes them (see package.json). */
const NODE_FLAGS =
  process.env.BENCH_NODE_FLAGS !== undefined
    ? process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean)
    : ['--max-semi-space-size=4'];
/** Each level runs this many rounds, bare and mesh-help taking turns; the figures are the rounds' medians. */
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 3;
const WARMUP = 50;
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function launch(args: string[], env: NodeJS.ProcessEnv, nice = false): ChildProcess {
  const [cmd, cmdArgs] = nice ? ['nice', ['-n', '19', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd as string, cmdArgs as string[], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

function firstLine(child: ChildProcess, stream: 'stdout' | 'stderr'): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child[stream]?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before it was ready: ${buf}`)));
  });
}

/** RSS is read at one instant, so it swings with the garbage collector: the median of five reads over two seconds. */
async function steadyRssMb(pid: number | undefined): Promise<number> {
  const reads: number[] = [];
  for (let i = 0; i < 5; i++) {
    reads.push(rssMb(pid));
    await new Promise((r) => setTimeout(r, 500));
  }
  return median(reads);
}

/** CPU time (user + system, ms) a process has used so far: its process.cpuUsage(), read from outside. */
function cpuMs(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (USER_HZ, 100 on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time per request of each app, summed over every round of a scenario (mesh-help's includes its work after the ack). */
type CpuTally = { bareMs: number; meshMs: number; requests: number };
const perRequest = (t: CpuTally) => ({
  bare: round(t.bareMs / t.requests, 3),
  mesh: round(t.meshMs / t.requests, 3),
  ratio: round(t.meshMs / t.bareMs),
});

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return round(kb / 1024, 1);
}

const commandBody = (text: string, responseUrl: string, channel = CHANNEL) =>
  new URLSearchParams({
    token: 'unused',
    team_id: TEAM,
    team_domain: 'bench',
    channel_id: channel,
    channel_name: 'bench',
    user_id: ALICE.id,
    user_name: 'alice',
    command: '/mesh-help',
    text,
    api_app_id: 'A0MESH',
    response_url: responseUrl,
    trigger_id: 'trigger-bench',
  }).toString();

async function settled(control: string, quietMs = 500): Promise<void> {
  let last = -1;
  for (;;) {
    const { calls } = (await (await fetch(`${control}/stats`)).json()) as { calls: number };
    if (calls === last) return;
    last = calls;
    await new Promise((r) => setTimeout(r, quietMs));
  }
}

/** The median of each figure over rounds. */
const mid = (runs: Latency[]): Latency => ({
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  count: runs.reduce((s, r) => s + r.count, 0),
  failures: runs.reduce((s, r) => s + r.failures, 0),
});

type Row = { scenario: string; concurrency: number; bare: Latency; mesh: Latency };

async function main(): Promise<void> {
  // Slack's own CPU is not the bot's: the fake runs at the lowest priority so it does not slow the two apps.
  const fake = launch(['--import', 'tsx', 'bench/servers/fake-slack.ts'], {}, true);
  const {
    apiUrl,
    url: fakeUrl,
    control,
  } = JSON.parse(await firstLine(fake, 'stdout')) as {
    apiUrl: string;
    url: string;
    control: string;
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'mesh-bench-'));
  const env = {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: apiUrl,
    MESH_HELP_DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
  };

  // Start-up to a 200 on /healthz, both started as node processes the same way.
  const meshPort = await freePort();
  const t0 = performance.now();
  // Diagnostics on request: BENCH_PROFILE=DIR writes a CPU profile, BENCH_HEAP_SNAPSHOT=1 a heap snapshot after round one.
  const profile = [
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ...(process.env.BENCH_HEAP_SNAPSHOT ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${tmpdir()}`] : []),
  ];
  const mesh = launch([...NODE_FLAGS, ...profile, 'bin/mesh-help.js', 'start'], { ...env, PORT: String(meshPort) });
  const meshStartMs = await waitHealthy(`http://127.0.0.1:${meshPort}/healthz`, t0);
  const barePort = await freePort();
  const t1 = performance.now();
  const bareProc = launch([...NODE_FLAGS, '--import', 'tsx', 'bench/servers/bare-bolt.ts'], {
    ...env,
    PORT: String(barePort),
  });
  const bareStartMs = await waitHealthy(`http://127.0.0.1:${barePort}/healthz`, t1);
  const meshUrl = `http://127.0.0.1:${meshPort}/slack/events`;
  const bareUrl = `http://127.0.0.1:${barePort}/slack/events`;
  let n = 0;
  const responseUrl = () => `${fakeUrl}/respond/${++n}`;

  const rows: Row[] = [];
  // /mesh-help start: each request opens an interview (the memory figure counts them), each in its own
  // channel and with the team's limit raised, since by default a channel holds one open interview and a team 50.
  await drive(meshUrl, [commandBody('config limits 1 10000', responseUrl())], 1, SECRET);
  const starts = (count: number) =>
    Array.from({ length: count }, (_, i) => {
      const url = responseUrl();
      return commandBody(`start Bench ${n}-${i}`, url, `${CHANNEL}${n}`);
    });
  await drive(bareUrl, starts(WARMUP), 10, SECRET);
  await drive(meshUrl, starts(WARMUP), 10, SECRET);
  // Rounds outside, levels inside: the memory figure is read after the first round, 1,000 interviews in.
  const startRuns = LEVELS.map(() => ({ bare: [] as Latency[], mesh: [] as Latency[] }));
  let rss = Number.NaN;
  let bareRss = Number.NaN;
  const startCpu: CpuTally = { bareMs: 0, meshMs: 0, requests: 0 };
  const clickCpu: CpuTally = { bareMs: 0, meshMs: 0, requests: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, level] of LEVELS.entries()) {
      const bodies = starts(level.requests);
      let cpu0 = cpuMs(bareProc.pid);
      startRuns[i]?.bare.push(await drive(bareUrl, bodies, level.concurrency, SECRET));
      startCpu.bareMs += cpuMs(bareProc.pid) - cpu0;
      cpu0 = cpuMs(mesh.pid);
      startRuns[i]?.mesh.push(await drive(meshUrl, bodies, level.concurrency, SECRET));
      await settled(control);
      startCpu.meshMs += cpuMs(mesh.pid) - cpu0;
      startCpu.requests += level.requests;
    }
    if (r === 0) {
      rss = await steadyRssMb(mesh.pid);
      bareRss = await steadyRssMb(bareProc.pid);
      if (process.env.BENCH_HEAP_SNAPSHOT) {
        mesh.kill('SIGUSR2');
        await new Promise((resolve) => setTimeout(resolve, 5000));
      }
    }
  }
  for (const [i, level] of LEVELS.entries()) {
    const runs = startRuns[i];
    if (runs)
      rows.push({
        scenario: '/mesh-help start',
        concurrency: level.concurrency,
        bare: mid(runs.bare),
        mesh: mid(runs.mesh),
      });
  }
  const opened = WARMUP + LEVELS.reduce((s, l) => s + l.requests, 0);
  const totalOpened = WARMUP + ROUNDS * LEVELS.reduce((s, l) => s + l.requests, 0);
  const rssAll = await steadyRssMb(mesh.pid);

  // Answer clicks: one click on the first question of each open interview.
  const questions = (await (await fetch(`${control}/questions`)).json()) as StoredMessage[];
  const fakeLike = { responseUrl } as unknown as Parameters<typeof clickPayload>[0];
  const clicks = questions.map((msg) =>
    new URLSearchParams({
      payload: JSON.stringify(clickPayload(fakeLike, msg, 'q:clusters', 'multi-region', ALICE)),
    }).toString(),
  );
  let used = 0;
  const take = (count: number) => {
    const slice = clicks.slice(used, used + count);
    used += count;
    return slice;
  };
  await drive(bareUrl, clicks.slice(0, WARMUP), 10, SECRET);
  await drive(meshUrl, take(WARMUP), 10, SECRET);
  for (const level of LEVELS) {
    const bare: Latency[] = [];
    const meshL: Latency[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const bodies = take(level.requests);
      let cpu0 = cpuMs(bareProc.pid);
      bare.push(await drive(bareUrl, bodies, level.concurrency, SECRET));
      clickCpu.bareMs += cpuMs(bareProc.pid) - cpu0;
      cpu0 = cpuMs(mesh.pid);
      meshL.push(await drive(meshUrl, bodies, level.concurrency, SECRET));
      await settled(control);
      clickCpu.meshMs += cpuMs(mesh.pid) - cpu0;
      clickCpu.requests += level.requests;
    }
    rows.push({ scenario: 'answer click', concurrency: level.concurrency, bare: mid(bare), mesh: mid(meshL) });
  }
  const violations = ((await (await fetch(`${control}/stats`)).json()) as { violations: number }).violations;

  for (const c of children) c.kill('SIGTERM');
  if (process.env.BENCH_KEEP_DATA) console.error(`bench data kept in ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });

  const store = await benchStore();
  // PostgreSQL beside the JSON store when a database is at hand (scripts/pg-test-db.sh starts one).
  const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  const pgStore: PgStoreFigures | undefined = pgUrl ? await benchPgStore(pgUrl) : undefined;
  const exported = await benchExport(500);

  // The table.
  const f = (x: number) => round(x, 1).toFixed(1).padStart(7);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log('');
  console.log('ack latency (ms, mesh-help with its intake journal on)');
  console.log(
    'ack latency (ms)          conc   bare p50  bare p99  mesh p50  mesh p99  p99 ratio  (target ≤ 1.3 at 200)',
  );
  for (const r of rows) {
    console.log(
      `${r.scenario.padEnd(24)} ${String(r.concurrency).padStart(5)}  ${f(r.bare.p50)}   ${f(r.bare.p99)}   ${f(r.mesh.p50)}   ${f(r.mesh.p99)}   ${(r.mesh.p99 / r.bare.p99).toFixed(2).padStart(6)}${r.mesh.failures ? `  (${r.mesh.failures} non-200)` : ''}`,
    );
  }
  const cpu = { start: perRequest(startCpu), click: perRequest(clickCpu) };
  console.log('');
  console.log(
    `CPU per request (ms, mesh-help's includes its work after the ack): /mesh-help start bare ${cpu.start.bare}, mesh ${cpu.start.mesh} (${cpu.start.ratio}×); answer click bare ${cpu.click.bare}, mesh ${cpu.click.mesh} (${cpu.click.ratio}×)`,
  );
  console.log('');
  console.log(
    `store: record one decision, median ms: 10 records ${store.recordMs.total10.toFixed(2)}, 1,000 ${store.recordMs.total1000.toFixed(2)}, 10,000 (1,000 teams) ${store.recordMs.total10000.toFixed(2)}; that team alone with 1,000: ${store.recordMs.ownTeam1000.toFixed(2)}`,
  );
  console.log(
    `store: other teams' data ratio 10,000 vs 10 records: ${store.otherTeamsRatio.toFixed(2)} (target ≤ 1.2)`,
  );
  console.log(
    pgStore
      ? `store (PostgreSQL): change one record, median ms: team of 10 ${pgStore.recordMs.own10.toFixed(2)}, team of 10,000 ${pgStore.recordMs.own10000.toFixed(2)} (ratio ${pgStore.ownTeamRatio.toFixed(2)}; one row written either way), 10,000 records in other teams ${pgStore.recordMs.others10000.toFixed(2)}`
      : 'store (PostgreSQL): not measured; set BENCH_DATABASE_URL (eval "$(bash scripts/pg-test-db.sh)" sets TEST_DATABASE_URL)',
  );
  console.log(
    `memory: RSS after ${opened} open interviews: ${rss} MB (target < 150); after ${totalOpened}: ${rssAll} MB`,
  );
  console.log(`start-up to 200 on /healthz: mesh-help ${round(meshStartMs)} ms, bare Bolt ${round(bareStartMs)} ms`);
  console.log(
    `ADR export of ${exported.records} records: ${exported.firstMs} ms into an empty folder (target < 1000), ${exported.unchangedMs} ms unchanged`,
  );
  console.log(`Block Kit limit violations in ${totalOpened} interviews: ${violations}`);

  const at200 = rows.filter((r) => r.concurrency === 200);
  const figures = {
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    ack: rows.map((r) => ({
      scenario: r.scenario,
      concurrency: r.concurrency,
      bare: { p50: round(r.bare.p50), p99: round(r.bare.p99) },
      mesh: { p50: round(r.mesh.p50), p99: round(r.mesh.p99), failures: r.mesh.failures },
      p50Ratio: round(r.mesh.p50 / r.bare.p50),
      p99Ratio: round(r.mesh.p99 / r.bare.p99),
    })),
    cpuMsPerRequest: cpu,
    store: {
      ...store,
      recordMs: Object.fromEntries(Object.entries(store.recordMs).map(([k, v]) => [k, round(v, 3)])),
      otherTeamsRatio: round(store.otherTeamsRatio),
    },
    pgStore: pgStore && {
      recordMs: Object.fromEntries(Object.entries(pgStore.recordMs).map(([k, v]) => [k, round(v, 3)])),
      ownTeamRatio: round(pgStore.ownTeamRatio),
    },
    memory: {
      openInterviews: opened,
      rssMb: rss,
      allOpenInterviews: totalOpened,
      rssAllMb: rssAll,
      bareBoltRssMb: bareRss,
    },
    startupMs: { mesh: round(meshStartMs), bare: round(bareStartMs) },
    export: exported,
    blockKitViolations: violations,
    targets: {
      ackP99Within1_3At200: at200.every((r) => r.mesh.p99 / r.bare.p99 <= 1.3),
      storeOtherTeamsWithin1_2: store.otherTeamsRatio <= 1.2,
      rssUnder150Mb: rss < 150,
      export500UnderOneSecond: exported.firstMs < 1000,
    },
  };
  console.log(JSON.stringify(figures));
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });
