// npm run bench: ack latency beside bare Bolt, the store, memory, start-up and ADR export, in one run; with a
// database at hand (BENCH_DATABASE_URL or TEST_DATABASE_URL) the bot on PostgreSQL is measured beside it.
// Prints a table, then one JSON object with every figure as the last line.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { StoredMessage } from '../test/support/fake-slack.js';
import { ALICE, clickPayload } from '../test/support/harness.js';
import { freshSchema, type TestSchema } from '../test/support/pg.js';
import { benchClickSizeFile, benchClickSizePg, type ClickSizeFigures } from './click-size.js';
import { benchDiagram } from './diagram.js';
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
    : ['--max-semi-space-size=4', '--max-old-space-size=128'];
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
type CpuTally = { bareMs: number; meshMs: number; pgMs: number; floorMs: number; requests: number };
const perRequest = (t: CpuTally, withPg: boolean) => ({
  bare: round(t.bareMs / t.requests, 3),
  floor: round(t.floorMs / t.requests, 3),
  mesh: round(t.meshMs / t.requests, 3),
  ratio: round(t.meshMs / t.bareMs),
  floorRatio: round(t.meshMs / t.floorMs),
  pg: withPg ? round(t.pgMs / t.requests, 3) : undefined,
});

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return round(kb / 1024, 1);
}

/** Every request has its own trigger_id, as Slack's do: the bot treats a repeated one as a replay of the same request. */
let triggers = 0;
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
    trigger_id: `trigger-bench-${++triggers}`,
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

type Row = { scenario: string; concurrency: number; bare: Latency; floor: Latency; mesh: Latency; pg?: Latency };

/** A fake Slack Web API in its own process; each bot gets its own, so neither's calls count in the other's figures. */
async function startFake(): Promise<{ apiUrl: string; url: string; control: string }> {
  // Slack's own CPU is not the bot's: the fake runs at the lowest priority so it does not slow the apps.
  const fake = launch(['--import', 'tsx', 'bench/servers/fake-slack.ts'], {}, true);
  return JSON.parse(await firstLine(fake, 'stdout')) as { apiUrl: string; url: string; control: string };
}

/** The same bot on PostgreSQL: its URL, process, fake Slack and database schema. */
type PgBot = { url: string; proc: ChildProcess; fakeUrl: string; control: string; schema: TestSchema; dataDir: string };

async function main(): Promise<void> {
  // The store's other-teams figure (writes without fsync, half a millisecond each) first, on a quiet machine: after
  // the apps' runs, a database dropping its schema and the kernel writing back their folders showed in it.
  const store = await benchStore();
  spawnSync('sync');
  const { apiUrl, url: fakeUrl, control } = await startFake();
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
  // The floor (bench/servers/floor.ts): the least a request must cost, with its own fake Slack to call.
  const floorFake = await startFake();
  const floorPort = await freePort();
  const t3 = performance.now();
  const floorProc = launch([...NODE_FLAGS, '--import', 'tsx', 'bench/servers/floor.ts'], {
    ...env,
    SLACK_API_URL: floorFake.apiUrl,
    PORT: String(floorPort),
  });
  const floorStartMs = await waitHealthy(`http://127.0.0.1:${floorPort}/healthz`, t3);
  const floorUrl = `http://127.0.0.1:${floorPort}/slack/events`;
  /** The floor takes the same requests as the bot, right after it, once its work has settled. */
  const driveFloor = async (bodies: string[], concurrency: number, tally: CpuTally): Promise<Latency> => {
    const cpu0 = cpuMs(floorProc.pid);
    const latency = await drive(floorUrl, bodies, concurrency, SECRET);
    await settled(floorFake.control);
    tally.floorMs += cpuMs(floorProc.pid) - cpu0;
    return latency;
  };
  // The bot again, on PostgreSQL (a fresh schema), with its own data folder for its intake journal.
  const pgBase = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  let pg: PgBot | undefined;
  let pgStartMs = Number.NaN;
  if (pgBase) {
    const schema = await freshSchema(pgBase);
    const pgFake = await startFake();
    const pgDataDir = mkdtempSync(join(tmpdir(), 'mesh-bench-pg-'));
    const port = await freePort();
    const t2 = performance.now();
    const proc = launch([...NODE_FLAGS, 'bin/mesh-help.js', 'start'], {
      ...env,
      SLACK_API_URL: pgFake.apiUrl,
      MESH_HELP_DATA_DIR: pgDataDir,
      DATABASE_URL: schema.url,
      PORT: String(port),
    });
    pgStartMs = await waitHealthy(`http://127.0.0.1:${port}/healthz`, t2);
    pg = {
      url: `http://127.0.0.1:${port}/slack/events`,
      proc,
      fakeUrl: pgFake.url,
      control: pgFake.control,
      schema,
      dataDir: pgDataDir,
    };
  }
  const meshUrl = `http://127.0.0.1:${meshPort}/slack/events`;
  const bareUrl = `http://127.0.0.1:${barePort}/slack/events`;
  let n = 0;
  const responseUrl = () => `${fakeUrl}/respond/${++n}`;
  // Each bot's response_url points at its own fake Slack.
  const pgResponseUrl = () => `${pg?.fakeUrl}/respond/${++n}`;

  const rows: Row[] = [];
  // /mesh-help start: each request opens an interview (the memory figure counts them), each in its own
  // channel and with the team's limit raised, since by default a channel holds one open interview and a team 50.
  await drive(meshUrl, [commandBody('config limits 1 10000', responseUrl())], 1, SECRET);
  if (pg) await drive(pg.url, [commandBody('config limits 1 10000', pgResponseUrl())], 1, SECRET);
  const starts = (count: number, respondTo = responseUrl) =>
    Array.from({ length: count }, (_, i) => {
      const url = respondTo();
      return commandBody(`start Bench ${n}-${i}`, url, `${CHANNEL}${n}`);
    });
  await drive(bareUrl, starts(WARMUP), 10, SECRET);
  await drive(meshUrl, starts(WARMUP), 10, SECRET);
  await drive(floorUrl, starts(WARMUP), 10, SECRET);
  if (pg) await drive(pg.url, starts(WARMUP, pgResponseUrl), 10, SECRET);
  // Rounds outside, levels inside: the memory figure is read after the first round, 1,000 interviews in.
  const startRuns = LEVELS.map(() => ({
    bare: [] as Latency[],
    floor: [] as Latency[],
    mesh: [] as Latency[],
    pg: [] as Latency[],
  }));
  let rss = Number.NaN;
  let bareRss = Number.NaN;
  let pgRss = Number.NaN;
  const startCpu: CpuTally = { bareMs: 0, meshMs: 0, pgMs: 0, floorMs: 0, requests: 0 };
  const clickCpu: CpuTally = { bareMs: 0, meshMs: 0, pgMs: 0, floorMs: 0, requests: 0 };
  /** The PostgreSQL bot takes the same requests after the JSON one, once its work has settled. */
  const drivePg = async (bodies: string[], concurrency: number, tally: CpuTally): Promise<Latency | undefined> => {
    if (!pg) return undefined;
    const cpu0 = cpuMs(pg.proc.pid);
    const latency = await drive(pg.url, bodies, concurrency, SECRET);
    await settled(pg.control);
    tally.pgMs += cpuMs(pg.proc.pid) - cpu0;
    return latency;
  };
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
      startRuns[i]?.floor.push(await driveFloor(bodies, level.concurrency, startCpu));
      const pgLatency = await drivePg(starts(level.requests, pgResponseUrl), level.concurrency, startCpu);
      if (pgLatency) startRuns[i]?.pg.push(pgLatency);
    }
    if (r === 0) {
      rss = await steadyRssMb(mesh.pid);
      bareRss = await steadyRssMb(bareProc.pid);
      if (pg) pgRss = await steadyRssMb(pg.proc.pid);
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
        floor: mid(runs.floor),
        mesh: mid(runs.mesh),
        ...(runs.pg.length ? { pg: mid(runs.pg) } : {}),
      });
  }
  const opened = WARMUP + LEVELS.reduce((s, l) => s + l.requests, 0);
  const totalOpened = WARMUP + ROUNDS * LEVELS.reduce((s, l) => s + l.requests, 0);
  const rssAll = await steadyRssMb(mesh.pid);
  const pgRssAll = pg ? await steadyRssMb(pg.proc.pid) : Number.NaN;

  // Answer clicks: one click on the first question of each open interview.
  /** One click on the first question of every interview a bot opened, in the order its fake Slack got them. */
  const clicksOf = async (controlUrl: string, respondTo: () => string) => {
    const questions = (await (await fetch(`${controlUrl}/questions`)).json()) as StoredMessage[];
    const fakeLike = { responseUrl: respondTo } as unknown as Parameters<typeof clickPayload>[0];
    const clicks = questions.map((msg) =>
      new URLSearchParams({
        payload: JSON.stringify(clickPayload(fakeLike, msg, 'q:clusters', 'multi-region', ALICE)),
      }).toString(),
    );
    let used = 0;
    return (count: number) => {
      const slice = clicks.slice(used, used + count);
      used += count;
      return slice;
    };
  };
  const take = await clicksOf(control, responseUrl);
  const takePg = pg ? await clicksOf(pg.control, pgResponseUrl) : () => [];
  const warmClicks = take(WARMUP);
  await drive(bareUrl, warmClicks, 10, SECRET);
  await drive(meshUrl, warmClicks, 10, SECRET);
  await drive(floorUrl, warmClicks, 10, SECRET);
  await drivePg(takePg(WARMUP), 10, { bareMs: 0, meshMs: 0, pgMs: 0, floorMs: 0, requests: 0 });
  for (const level of LEVELS) {
    const bare: Latency[] = [];
    const floorL: Latency[] = [];
    const meshL: Latency[] = [];
    const pgL: Latency[] = [];
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
      floorL.push(await driveFloor(bodies, level.concurrency, clickCpu));
      const pgLatency = await drivePg(takePg(level.requests), level.concurrency, clickCpu);
      if (pgLatency) pgL.push(pgLatency);
    }
    rows.push({
      scenario: 'answer click',
      concurrency: level.concurrency,
      bare: mid(bare),
      floor: mid(floorL),
      mesh: mid(meshL),
      ...(pgL.length ? { pg: mid(pgL) } : {}),
    });
  }
  const violationsOf = async (controlUrl: string) =>
    ((await (await fetch(`${controlUrl}/stats`)).json()) as { violations: number }).violations;
  const violations = await violationsOf(control);
  const pgViolations = pg ? await violationsOf(pg.control) : 0;

  // The bots finish their work and close their pools before the schema they use is dropped.
  const exits = children.map(
    (c) =>
      new Promise((resolve) => (c.exitCode === null && c.signalCode === null ? c.once('exit', resolve) : resolve(0))),
  );
  for (const c of children) c.kill('SIGTERM');
  await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 15_000))]);
  if (process.env.BENCH_KEEP_DATA) console.error(`bench data kept in ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
  if (pg) {
    rmSync(pg.dataDir, { recursive: true, force: true });
    await pg.schema.drop();
  }

  // The in-process figures start once the disk has written out what the apps' runs left (their data folders were
  // just removed): otherwise that flush, not the store, is what the first of them measures.
  spawnSync('sync');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  // The PostgreSQL store's write cost beside the JSON store's (scripts/pg-test-db.sh starts a database).
  const pgStore: PgStoreFigures | undefined = pgBase ? await benchPgStore(pgBase) : undefined;
  // A click (the answer's step through the store, with fsync) as one team grows from 10 to 10,000 interviews.
  const clickSize = await benchClickSizeFile(200, true);
  const pgClickSize: ClickSizeFigures | undefined = pgBase ? await benchClickSizePg(pgBase) : undefined;
  const exported = await benchExport(500);
  const diagrams = await benchDiagram();

  // The table.
  const f = (x: number) => round(x, 1).toFixed(1).padStart(7);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log('');
  console.log('ack latency (ms, mesh-help with its intake journal on; mesh = JSON store, pg = PostgreSQL store)');
  console.log(
    `ack latency (ms)          conc   bare p50  bare p99  floor p99  mesh p50  mesh p99  p99 ratio${pg ? '    pg p50    pg p99  pg ratio' : ''}  (target ≤ 1.3 at 200)`,
  );
  const failed = (l: Latency) => (l.failures ? `  (${l.failures} non-200)` : '');
  for (const r of rows) {
    const pgCols = r.pg ? `   ${f(r.pg.p50)}   ${f(r.pg.p99)}   ${(r.pg.p99 / r.bare.p99).toFixed(2).padStart(6)}` : '';
    console.log(
      `${r.scenario.padEnd(24)} ${String(r.concurrency).padStart(5)}  ${f(r.bare.p50)}   ${f(r.bare.p99)}    ${f(r.floor.p99)}   ${f(r.mesh.p50)}   ${f(r.mesh.p99)}   ${(r.mesh.p99 / r.bare.p99).toFixed(2).padStart(6)}${pgCols}${failed(r.mesh)}${r.pg ? failed(r.pg) : ''}`,
    );
  }
  const enablePg =
    'set BENCH_DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DB (a role that may CREATE SCHEMA), or run eval "$(bash scripts/pg-test-db.sh)" first, which sets TEST_DATABASE_URL';
  if (!pg) console.log(`PostgreSQL rows skipped (no database): ${enablePg}`);
  const cpu = { start: perRequest(startCpu, !!pg), click: perRequest(clickCpu, !!pg) };
  console.log('');
  console.log(
    `CPU per request (ms, mesh-help's and the floor's include their work after the ack): /mesh-help start bare ${cpu.start.bare}, floor ${cpu.start.floor}, mesh ${cpu.start.mesh} (${cpu.start.floorRatio}× the floor)${pg ? `, pg ${cpu.start.pg}` : ''}; answer click bare ${cpu.click.bare}, floor ${cpu.click.floor}, mesh ${cpu.click.mesh} (${cpu.click.floorRatio}× the floor)${pg ? `, pg ${cpu.click.pg}` : ''} (target ≤ 1.5× the floor)`,
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
      : `store (PostgreSQL): skipped (no database): ${enablePg}`,
  );
  const sized = (c: ClickSizeFigures) =>
    `10 sessions ${c.clickMs.s10.toFixed(2)}, 1,000 ${c.clickMs.s1000.toFixed(2)}, 10,000 ${c.clickMs.s10000.toFixed(2)} (ratio ${c.ratio.toFixed(2)})`;
  console.log(
    `a click in one team, median ms: JSON store ${sized(clickSize)}${pgClickSize ? `; PostgreSQL ${sized(pgClickSize)}` : ''} (target ≤ 1.2)`,
  );
  console.log(
    `memory: RSS after ${opened} open interviews: ${rss} MB (target < 150); after ${totalOpened}: ${rssAll} MB${pg ? `; on PostgreSQL ${pgRss} MB and ${pgRssAll} MB` : ''}; bare Bolt ${bareRss} MB`,
  );
  console.log(
    `start-up to 200 on /healthz: mesh-help ${round(meshStartMs)} ms${pg ? `, on PostgreSQL ${round(pgStartMs)} ms (schema migrations included)` : ''}, bare Bolt ${round(bareStartMs)} ms, the floor ${round(floorStartMs)} ms`,
  );
  console.log(
    `ADR export of ${exported.records} records: ${exported.firstMs} ms into an empty folder (target < 1000), ${exported.unchangedMs} ms unchanged`,
  );
  console.log(
    `topology diagram per recommendation (SVG + PNG, ${diagrams.profiles} profiles): p50 ${diagrams.perRecommendationMs.p50} ms, slowest profile's median ${diagrams.slowestProfileMedianMs} ms (target < 200), CPU p50 ${diagrams.cpuPerRecommendationMs.p50} ms`,
  );
  console.log(
    `Block Kit limit violations in ${totalOpened} interviews: ${violations}${pg ? `; on PostgreSQL ${pgViolations}` : ''}`,
  );

  const at200 = rows.filter((r) => r.concurrency === 200);
  const roundAll = (o: Record<string, number>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v, 3)]));
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
      floor: { p50: round(r.floor.p50), p99: round(r.floor.p99) },
      mesh: { p50: round(r.mesh.p50), p99: round(r.mesh.p99), failures: r.mesh.failures },
      p50Ratio: round(r.mesh.p50 / r.bare.p50),
      p99Ratio: round(r.mesh.p99 / r.bare.p99),
      pg: r.pg && {
        p50: round(r.pg.p50),
        p99: round(r.pg.p99),
        failures: r.pg.failures,
        p99Ratio: round(r.pg.p99 / r.bare.p99),
      },
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
    clickBySessions: {
      file: { clickMs: roundAll(clickSize.clickMs), ratio: round(clickSize.ratio) },
      pg: pgClickSize && { clickMs: roundAll(pgClickSize.clickMs), ratio: round(pgClickSize.ratio) },
    },
    memory: {
      openInterviews: opened,
      rssMb: rss,
      allOpenInterviews: totalOpened,
      rssAllMb: rssAll,
      bareBoltRssMb: bareRss,
      pg: pg ? { rssMb: pgRss, rssAllMb: pgRssAll } : undefined,
    },
    startupMs: {
      mesh: round(meshStartMs),
      bare: round(bareStartMs),
      floor: round(floorStartMs),
      pg: pg ? round(pgStartMs) : undefined,
    },
    export: exported,
    diagrams,
    blockKitViolations: violations,
    pgBlockKitViolations: pg ? pgViolations : undefined,
    pgSkipped: !pg,
    targets: {
      cpuPerClickWithin1_5xFloor: cpu.click.floorRatio <= 1.5,
      cpuPerStartWithin1_5xFloor: cpu.start.floorRatio <= 1.5,
      ackP99Within1_3At200: at200.every((r) => r.mesh.p99 / r.bare.p99 <= 1.3),
      storeOtherTeamsWithin1_2: store.otherTeamsRatio <= 1.2,
      clickAt10000SessionsWithin1_2: clickSize.ratio <= 1.2 && (!pgClickSize || pgClickSize.ratio <= 1.2),
      rssUnder150Mb: rss < 150,
      export500UnderOneSecond: exported.firstMs < 1000,
      diagramUnder200Ms: diagrams.slowestProfileMedianMs < 200,
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
