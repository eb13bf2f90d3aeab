import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { advance, scopeOf } from '../src/domain/machine/step.js';
import { getFlow } from '../src/engine/load.js';
import {
  emptyTeam,
  FileStore,
  PgStore,
  type Session,
  type Store,
  sessionOfThread,
  type TeamDoc,
} from '../src/store/index.js';
import { openSession } from '../test/support/sessions.js';
import { median } from './stats.js';

/**
 * The cost of one answer click as the team grows: a team holding 10, 1,000
 * or 10,000 interviews (each with a few answers and replies), and a click on
 * one of them, through the state machine and the store, as the bot's click
 * listener runs it. The target: the click at 10,000 within 1.2× of 10.
 */
/** Each size is its own team, so that the sizes can share one database and take turns. */
const teamOfSize = (size: number) => `TCLICKS${size}`;
const CHANNEL = 'C0BENCH';
const flow = getFlow();
const now = new Date('2026-12-01T09:00:00Z');

/** An interview of the team with three replies and the services question answered, as a busy team holds it. */
function session(i: number, team: string): Session {
  const at = now.toISOString();
  return openSession(
    i,
    { teamId: team, channel: CHANNEL, now },
    {
      id: `s${String(i).padStart(6, '0')}`,
      answers: { clusters: 'multi-region', fleet: '2-5', services: '10-49' },
      answeredBy: { clusters: { by: 'U0ALICE', at }, fleet: { by: 'U0ALICE', at }, services: { by: 'U0BOB', at } },
      replies: Array.from({ length: 3 }, (_, r) => ({
        ts: `${1_700_000_000 + i}.00${300 + r}`,
        user: 'U0BOB',
        text: 'We mostly fight with retries between the two regions, and the failover drill took an afternoon.',
        at,
        deleted: false,
      })),
    },
  );
}

function teamOf(sessions: number): TeamDoc {
  const team = teamOfSize(sessions);
  const doc = emptyTeam(team);
  for (let i = 0; i < sessions; i++) doc.sessions.push(session(i, team));
  return doc;
}

/** One answer click on one session of a team of `size`, alternating the answer so each click changes it. */
function clicker(store: Store, size: number): (n: number) => Promise<void> {
  const team = teamOfSize(size);
  const target = session(Math.floor(size / 2), team);
  const values = ['50-plus', '10-49'];
  return async (n: number) => {
    const doc = await store.read(team);
    const s = sessionOfThread(doc, CHANNEL, target.threadTs ?? '');
    if (!s) throw new Error('the clicked session is gone');
    const event = {
      type: 'answer' as const,
      sessionId: target.id,
      at: { channel: CHANNEL, threadTs: target.threadTs ?? '', ts: target.interviewTs ?? '' },
      question: 'services',
      value: values[n % 2] as string,
      seenRev: s.answerRevs?.services ?? 0,
      by: 'U0ALICE',
    };
    // As the click listener dispatches it: the thread found by its index, the step scoped to its session.
    const step = await store.update(team, (d) => advance(flow, d, event, now), scopeOf(event));
    if (step.outcome.kind !== 'answered') throw new Error(`the click was not taken: ${step.outcome.kind}`);
  };
}

/**
 * Median ms of a click in each team. The teams take turns click by click (the first to go rotating), so a
 * change in the disk's flush latency during the run weighs on every size alike instead of on whichever
 * size happened to be measured then.
 */
async function timeClicks(
  teams: Array<{ size: number; store: Store }>,
  clicks: number,
): Promise<Record<string, number>> {
  const clickers = teams.map((t) => ({ size: t.size, once: clicker(t.store, t.size), times: [] as number[] }));
  // Warmed up first, so no size pays for the compiler.
  for (const c of clickers) for (let i = 0; i < 50; i++) await c.once(i);
  for (let i = 0; i < clicks; i++) {
    for (let k = 0; k < clickers.length; k++) {
      const c = clickers[(i + k) % clickers.length];
      if (!c) continue;
      const t0 = performance.now();
      await c.once(i + 50);
      c.times.push(performance.now() - t0);
    }
  }
  return Object.fromEntries(clickers.map((c) => [`s${c.size}`, median(c.times)]));
}

export type ClickSizeFigures = { clickMs: Record<'s10' | 's1000' | 's10000', number>; ratio: number };

/** The click at 10, 1,000 and 10,000 sessions on the JSON store (with fsync when `durable`, as the bot runs). */
const SIZES = (process.env.BENCH_SIZES ?? '10,1000,10000').split(',').map(Number);

export async function benchClickSizeFile(
  clicks = 200,
  durable = process.env.BENCH_DURABLE === '1',
): Promise<ClickSizeFigures> {
  const dirs: string[] = [];
  const teams: Array<{ size: number; store: Store }> = [];
  try {
    for (const size of SIZES) {
      const dir = mkdtempSync(join(tmpdir(), 'mesh-bench-clicks-'));
      dirs.push(dir);
      mkdirSync(join(dir, 'teams'));
      writeFileSync(join(dir, 'teams', `${teamOfSize(size)}.json`), JSON.stringify(teamOf(size)));
      teams.push({ size, store: new FileStore(dir, { durable }) });
    }
    const clickMs = (await timeClicks(teams, clicks)) as ClickSizeFigures['clickMs'];
    return { clickMs, ratio: clickMs.s10000 / clickMs.s10 };
  } finally {
    for (const t of teams) await t.store.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** The same on PostgreSQL, a fresh schema per size in the database at `url`. */
export async function benchClickSizePg(url: string, clicks = 200): Promise<ClickSizeFigures> {
  const teams: Array<{ size: number; store: Store }> = [];
  try {
    for (const size of SIZES) {
      // One store per size, each with its own team in the database at `url`.
      const store = new PgStore(url);
      teams.push({ size, store });
      await store.importTeam(teamOf(size), { replace: true });
    }
    const clickMs = (await timeClicks(teams, clicks)) as ClickSizeFigures['clickMs'];
    return { clickMs, ratio: clickMs.s10000 / clickMs.s10 };
  } finally {
    for (const t of teams) await t.store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('file', JSON.stringify(await benchClickSizeFile()));
  const url = process.env.BENCH_DATABASE_URL;
  if (url) console.log('pg', JSON.stringify(await benchClickSizePg(url)));
}
