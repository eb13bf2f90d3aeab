import { createRequire } from 'node:module';
import type pg from 'pg';
import type { z } from 'zod';
import { adopt, applyBatch, type Touched } from './docs.js';
import type { SealedRecords } from './installations.js';
import { runMigrations } from './pg-migrations.js';
import { Decision, emptyTeam, migrate, SCHEMA_VERSION, Session, TeamDoc } from './schema.js';
import { assertTeamId, type Scope, type Store, StoreError, type TeamCheck } from './store.js';
import { type Pending, TeamBatches } from './team-batches.js';

/** `pg` is loaded by the first PgStore, not by importing this module: a bot on the JSON store never loads it. */
let pgModule: typeof pg | undefined;
export const loadPg = (): typeof pg => {
  pgModule ??= createRequire(import.meta.url)('pg') as typeof pg;
  return pgModule;
};

export type PgStoreOptions = {
  /** Connections this process keeps at most (default 10). */
  poolSize?: number;
};

/** What `importTeam` did with a team's document. */
export type ImportOutcome = 'created' | 'unchanged' | 'replaced' | 'conflict';

type Queryable = pg.PoolClient;

type HeadRow = {
  rev: string;
  schema_version: number;
  next_decision_number: number;
  config: unknown;
  extra: Record<string, unknown>;
  n_sessions: number;
  n_decisions: number;
};

/** Where each element of a list sits, by key; a hit counts only if the list still holds that key there. */
type Index<K> = Map<K, number>;

/** A team as this process last saw it in the database, at revision `rev`. */
type Cached = {
  rev: number;
  doc: TeamDoc;
  sessionAt: Index<string>;
  decisionAt: Index<number>;
  /** Loaded from an older document version: the next write rewrites every row. */
  rewrite: boolean;
};

const HEAD = `SELECT rev, schema_version, next_decision_number, config, extra, n_sessions, n_decisions
  FROM teams WHERE team_id = $1`;
const Head = TeamDoc.omit({ sessions: true, decisions: true });
const sessionKey = (s: Session) => s.id;
const decisionKey = (d: Decision) => d.number;

/** The URL without its password or query, for messages: `postgres://user@host:5432/db`. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return 'the PostgreSQL database';
  }
}

function lookup<T, K>(items: readonly T[], at: Index<K>, keyOf: (x: T) => K, key: K): number | undefined {
  const i = at.get(key);
  return i !== undefined && i < items.length && keyOf(items[i] as T) === key ? i : undefined;
}

function indexOf<T, K>(items: readonly T[], keyOf: (x: T) => K): Index<K> {
  const at: Index<K> = new Map();
  items.forEach((x, i) => {
    at.set(keyOf(x), i);
  });
  return at;
}

type ListDiff<K> = { upserts: Array<{ key: K; pos: number; json: string }>; deletes: K[]; at: Index<K> };

const duplicateKey = (what: string, key: unknown) =>
  new StoreError('write_failed', `refusing to save: two ${what}s have the key ${key}`);

/**
 * The diff of a list only scoped updates changed: they replace the records
 * they touched where they were, or append new ones, and never remove or
 * reorder (docs.ts refuses that). So the touched keys and the appended tail
 * are all there is to look at: a click costs the same in a team of ten
 * sessions as in one of ten thousand, where a pass over the list did not.
 */
function diffTouched<T, K>(
  what: string,
  base: readonly T[],
  baseAt: Index<K>,
  next: readonly T[],
  keyOf: (x: T) => K,
  touched: ReadonlySet<K>,
): ListDiff<K> {
  const upserts: ListDiff<K>['upserts'] = [];
  for (const key of touched) {
    const i = lookup(base, baseAt, keyOf, key);
    if (i === undefined) continue; // appended: found in the tail below
    const item = next[i] as T;
    if (item === base[i]) continue;
    if (keyOf(item) !== key)
      throw new StoreError('write_failed', `refusing to save: a scoped update moved ${what} ${key}`);
    upserts.push({ key, pos: i, json: JSON.stringify(item) });
  }
  for (let i = base.length; i < next.length; i++) {
    const item = next[i] as T;
    upserts.push({ key: keyOf(item), pos: i, json: JSON.stringify(item) });
  }
  return grownInPlace(what, base, baseAt, keyOf, upserts);
}

/**
 * The diff of changes in place and appends only: the index grows in place
 * (lookups check what they find). Refuses an appended key that is there already.
 */
function grownInPlace<T, K>(
  what: string,
  base: readonly T[],
  baseAt: Index<K>,
  keyOf: (x: T) => K,
  upserts: ListDiff<K>['upserts'],
): ListDiff<K> {
  const appended = new Set<K>();
  for (const u of upserts) {
    if (u.pos < base.length) continue;
    if (appended.has(u.key) || lookup(base, baseAt, keyOf, u.key) !== undefined) throw duplicateKey(what, u.key);
    appended.add(u.key);
  }
  for (const u of upserts) if (u.pos >= base.length) baseAt.set(u.key, u.pos);
  return { upserts, deletes: [], at: baseAt };
}

/**
 * The rows one list needs written: elements that are new, changed or moved
 * (unchanged elements keep their identity, so this costs no serialisation),
 * and the keys that left the list. Refuses two elements with one key.
 */
function diffList<T, K>(
  what: string,
  base: readonly T[],
  baseAt: Index<K>,
  next: readonly T[],
  keyOf: (x: T) => K,
  all: boolean,
  touched?: ReadonlySet<K>,
): ListDiff<K> {
  if (touched && !all) return diffTouched(what, base, baseAt, next, keyOf, touched);
  const upserts: ListDiff<K>['upserts'] = [];
  let reindex = all || next.length < base.length;
  for (let i = 0; i < next.length; i++) {
    const item = next[i] as T;
    if (!all && i < base.length && item === base[i]) continue;
    const key = keyOf(item);
    if (i < base.length && keyOf(base[i] as T) !== key) reindex = true;
    upserts.push({ key, pos: i, json: JSON.stringify(item) });
  }
  if (reindex) {
    const at = indexOf(next, keyOf);
    if (at.size !== next.length) {
      const seen = new Set<K>();
      for (const x of next) {
        if (seen.has(keyOf(x))) throw duplicateKey(what, keyOf(x));
        seen.add(keyOf(x));
      }
    }
    return { upserts, deletes: base.map(keyOf).filter((k) => !at.has(k)), at };
  }
  return grownInPlace(what, base, baseAt, keyOf, upserts);
}

/**
 * Teams in PostgreSQL: one `teams` row per team and one row per session,
 * decision and remembered event, so a change writes the rows it touched
 * whatever the team's size (see pg-migrations.ts for the layout).
 *
 * An update locks the team's row (`SELECT … FOR UPDATE`) for its transaction,
 * so updates from any number of processes run one after another and none is
 * lost. Each process keeps the last revision of a team it saw and fetches
 * only the rows changed since (`rev > …`). Within a process, updates to one
 * team queue up and those waiting are applied in one transaction (group commit).
 */
export class PgStore implements Store {
  private readonly pool: pg.Pool;
  private readonly poolConfig: pg.PoolConfig;
  private lockPool: pg.Pool | undefined;
  private readonly cache = new Map<string, Cached>();
  private readonly batches = new TeamBatches((teamId, batch) => this.drain(teamId, batch));
  private readonly reading = new Set<Promise<unknown>>();
  private closed = false;
  private ready: Promise<void> | undefined;
  /** Where the data lives, without credentials, for messages. */
  readonly where: string;

  constructor(connectionString: string, options: PgStoreOptions = {}) {
    this.where = describeDatabase(connectionString);
    this.poolConfig = { connectionString, application_name: 'mesh-help' };
    this.pool = new (loadPg().Pool)({ ...this.poolConfig, max: options.poolSize ?? 10 });
    // An idle connection that drops is replaced on the next query; without a listener it would crash the process.
    this.pool.on('error', () => undefined);
    // So is one that drops while checked out between two queries (the database restarts mid-transaction):
    // the next query on it fails and is reported; the client's own error event must not end the process.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  private unavailable(err: unknown): StoreError {
    if (err instanceof StoreError) return err;
    return new StoreError('unavailable', `PostgreSQL at ${this.where}: ${(err as Error).message}`, this.where);
  }

  /** Runs the schema migrations once per process; a failure is reported and tried again next time. */
  migrate(): Promise<void> {
    this.ready ??= (async () => {
      const client = await this.pool.connect();
      try {
        await runMigrations(client);
      } finally {
        client.release();
      }
    })().catch((err: Error) => {
      this.ready = undefined;
      throw new StoreError('unavailable', `cannot migrate PostgreSQL at ${this.where}: ${err.message}`, this.where);
    });
    return this.ready;
  }

  private async open(teamId: string): Promise<void> {
    assertTeamId(teamId);
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    await this.migrate();
  }

  private corrupt(teamId: string, what: string, error: { issues: Array<{ path: PropertyKey[]; message: string }> }) {
    const first = error.issues[0];
    const at = first?.path.map(String).join('.') || '(root)';
    return new StoreError(
      'corrupt',
      `team ${teamId} in ${this.where}: ${what} fails the schema at ${at}: ${first?.message}`,
      `${this.where}#${teamId}`,
    );
  }

  private parseRow<T>(teamId: string, what: string, schema: typeof Session | typeof Decision, body: unknown): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw this.corrupt(teamId, what, parsed.error);
    return parsed.data as T;
  }

  private headOf(teamId: string, head: HeadRow, seenEvents: string[]): z.infer<typeof Head> {
    const parsed = Head.safeParse({
      ...head.extra,
      schemaVersion: SCHEMA_VERSION,
      teamId,
      nextDecisionNumber: head.next_decision_number,
      config: head.config,
      seenEvents,
    });
    if (!parsed.success) throw this.corrupt(teamId, 'the team row', parsed.error);
    return parsed.data;
  }

  private async seenEvents(q: Queryable, teamId: string): Promise<string[]> {
    const { rows } = await q.query<{ event_id: string }>(
      'SELECT event_id FROM seen_events WHERE team_id = $1 ORDER BY seq',
      [teamId],
    );
    return rows.map((r) => r.event_id);
  }

  /** Every row of a team, validated. */
  private async loadAll(q: Queryable, teamId: string, head: HeadRow): Promise<Cached> {
    const sessions = await q.query<{ body: unknown }>('SELECT body FROM sessions WHERE team_id = $1 ORDER BY pos', [
      teamId,
    ]);
    const decisions = await q.query<{ body: unknown }>('SELECT body FROM decisions WHERE team_id = $1 ORDER BY pos', [
      teamId,
    ]);
    const seen = await this.seenEvents(q, teamId);
    if (head.schema_version > SCHEMA_VERSION) {
      throw new StoreError(
        'corrupt',
        `team ${teamId} in ${this.where} has schemaVersion ${head.schema_version}, newer than this mesh-help understands (${SCHEMA_VERSION})`,
        `${this.where}#${teamId}`,
      );
    }
    let doc: TeamDoc;
    const rewrite = head.schema_version < SCHEMA_VERSION;
    if (rewrite) {
      const raw = migrate({
        ...head.extra,
        schemaVersion: head.schema_version,
        teamId,
        nextDecisionNumber: head.next_decision_number,
        config: head.config,
        seenEvents: seen,
        sessions: sessions.rows.map((r) => r.body),
        decisions: decisions.rows.map((r) => r.body),
      });
      const parsed = TeamDoc.safeParse(raw);
      if (!parsed.success) throw this.corrupt(teamId, 'the team', parsed.error);
      doc = parsed.data;
    } else {
      doc = {
        ...this.headOf(teamId, head, seen),
        sessions: sessions.rows.map((r, i) => this.parseRow<Session>(teamId, `session ${i}`, Session, r.body)),
        decisions: decisions.rows.map((r, i) => this.parseRow<Decision>(teamId, `decision ${i}`, Decision, r.body)),
      };
    }
    adopt(doc);
    return {
      rev: Number(head.rev),
      doc,
      sessionAt: indexOf(doc.sessions, sessionKey),
      decisionAt: indexOf(doc.decisions, decisionKey),
      rewrite,
    };
  }

  /**
   * Brings a cached team up to `head`: only rows written after the cached
   * revision are fetched; anything that does not fit (a reordered or shortened
   * list, an older document version) falls back to loading every row.
   */
  private async sync(q: Queryable, teamId: string, head: HeadRow, cached: Cached | undefined): Promise<Cached> {
    const rev = Number(head.rev);
    if (cached && cached.rev === rev) return cached;
    if (!cached || cached.rewrite || head.schema_version !== SCHEMA_VERSION || cached.rev > rev) {
      return this.loadAll(q, teamId, head);
    }
    const changedSessions = await q.query<{ id: string; pos: number; body: unknown }>(
      'SELECT id, pos, body FROM sessions WHERE team_id = $1 AND rev > $2 ORDER BY pos',
      [teamId, cached.rev],
    );
    const changedDecisions = await q.query<{ number: number; pos: number; body: unknown }>(
      'SELECT number, pos, body FROM decisions WHERE team_id = $1 AND rev > $2 ORDER BY pos',
      [teamId, cached.rev],
    );
    const patch = <T, K>(
      base: readonly T[],
      at: Index<K>,
      keyOf: (x: T) => K,
      rows: Array<{ key: K; pos: number; item: T }>,
    ) => {
      const items = [...base];
      for (const row of rows) {
        const i = lookup(items, at, keyOf, row.key);
        if (i !== undefined && i === row.pos) items[i] = row.item;
        else if (i === undefined && row.pos === items.length) {
          items.push(row.item);
          at.set(row.key, row.pos);
        } else return undefined;
      }
      return items;
    };
    const sessions = patch(
      cached.doc.sessions,
      cached.sessionAt,
      sessionKey,
      changedSessions.rows.map((r) => ({
        key: r.id,
        pos: r.pos,
        item: this.parseRow<Session>(teamId, `session ${r.id}`, Session, r.body),
      })),
    );
    const decisions = patch(
      cached.doc.decisions,
      cached.decisionAt,
      decisionKey,
      changedDecisions.rows.map((r) => ({
        key: r.number,
        pos: r.pos,
        item: this.parseRow<Decision>(teamId, `decision ${r.number}`, Decision, r.body),
      })),
    );
    if (!sessions || !decisions || sessions.length !== head.n_sessions || decisions.length !== head.n_decisions) {
      return this.loadAll(q, teamId, head);
    }
    const doc: TeamDoc = { ...this.headOf(teamId, head, await this.seenEvents(q, teamId)), sessions, decisions };
    adopt(doc);
    return { rev, doc, sessionAt: cached.sessionAt, decisionAt: cached.decisionAt, rewrite: false };
  }

  /** Keeps the newest revision seen; an older one finishing late never replaces it. */
  private remember(teamId: string, entry: Cached): void {
    const current = this.cache.get(teamId);
    if (!current || current.rev <= entry.rev) this.cache.set(teamId, entry);
  }

  read(teamId: string): Promise<TeamDoc> {
    return this.tracked(this.readNow(teamId));
  }

  /** Keeps `close` from ending the pool under a call still running. */
  private tracked<T>(work: Promise<T>): Promise<T> {
    this.reading.add(work);
    const forget = () => this.reading.delete(work);
    work.then(forget, forget);
    return work;
  }

  private async readNow(teamId: string): Promise<TeamDoc> {
    await this.open(teamId);
    let client: pg.PoolClient | undefined;
    try {
      const now = await this.pool.query<{ rev: string }>('SELECT rev FROM teams WHERE team_id = $1', [teamId]);
      const rev = now.rows[0]?.rev;
      if (rev === undefined) {
        this.cache.delete(teamId);
        return adopt(emptyTeam(teamId));
      }
      const cached = this.cache.get(teamId);
      if (cached && cached.rev === Number(rev)) return cached.doc;
      client = await this.pool.connect();
      // One snapshot for the head and the rows, so a write committing meanwhile is seen whole or not at all.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const head = (await client.query<HeadRow>(HEAD, [teamId])).rows[0];
      const synced = head ? await this.sync(client, teamId, head, cached) : undefined;
      await client.query('COMMIT');
      if (!synced) return adopt(emptyTeam(teamId));
      this.remember(teamId, synced);
      return synced.doc;
    } catch (err) {
      await client?.query('ROLLBACK').catch(() => undefined);
      throw this.unavailable(err);
    } finally {
      client?.release();
    }
  }

  update<T>(teamId: string, fn: (doc: TeamDoc) => T | Promise<T>, scope?: Scope): Promise<T> {
    // Checked and queued synchronously, like FileStore, so close() waits for every update called before it.
    try {
      assertTeamId(teamId);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.closed) return Promise.reject(new StoreError('closed', 'the store is closed'));
    return this.batches.push(teamId, fn, scope);
  }

  /**
   * Locks the team's row, creating it when the team is new: the placeholder
   * row is what a second process waits on, and it disappears with a rollback.
   */
  private async lock(client: pg.PoolClient, teamId: string): Promise<{ head: HeadRow; created: boolean }> {
    let head = (await client.query<HeadRow>(`${HEAD} FOR UPDATE`, [teamId])).rows[0];
    if (head) return { head, created: false };
    await client.query(
      `INSERT INTO teams (team_id, rev, schema_version, next_decision_number, config)
       VALUES ($1, 0, $2, 1, '{"approvals":0}') ON CONFLICT (team_id) DO NOTHING`,
      [teamId, SCHEMA_VERSION],
    );
    head = (await client.query<HeadRow>(`${HEAD} FOR UPDATE`, [teamId])).rows[0];
    if (!head) throw new StoreError('write_failed', `team ${teamId} could not be created in ${this.where}`);
    return { head, created: Number(head.rev) === 0 };
  }

  private emptyCached(teamId: string): Cached {
    return { rev: 0, doc: adopt(emptyTeam(teamId)), sessionAt: new Map(), decisionAt: new Map(), rewrite: false };
  }

  /** Runs `work` in a transaction holding the team's row lock; `work` returns whether to commit. */
  private async locked<R>(
    teamId: string,
    work: (client: pg.PoolClient, base: Cached) => Promise<{ commit: Cached | undefined; value: R }>,
  ): Promise<R> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.unavailable(err);
    }
    try {
      await client.query('BEGIN');
      const { head, created } = await this.lock(client, teamId);
      const base = created ? this.emptyCached(teamId) : await this.sync(client, teamId, head, this.cache.get(teamId));
      const { commit, value } = await work(client, base);
      if (commit) {
        await client.query('COMMIT');
        this.remember(teamId, commit);
      } else {
        await client.query('ROLLBACK');
        if (!created) this.remember(teamId, base);
      }
      return value;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Writes the rows that differ between `base` and `next` as revision base.rev + 1. */
  private async write(
    client: pg.PoolClient,
    teamId: string,
    base: Cached,
    next: TeamDoc,
    all = false,
    touched?: Touched,
  ): Promise<Cached> {
    const rev = base.rev + 1;
    const everything = all || base.rewrite;
    const s = diffList(
      'session',
      base.doc.sessions,
      base.sessionAt,
      next.sessions,
      sessionKey,
      everything,
      touched?.sessions,
    );
    const d = diffList(
      'decision',
      base.doc.decisions,
      base.decisionAt,
      next.decisions,
      decisionKey,
      everything,
      touched?.decisions,
    );
    const {
      sessions: _s,
      decisions: _d,
      seenEvents,
      schemaVersion: _v,
      teamId: _t,
      nextDecisionNumber,
      config,
      ...extra
    } = next;
    await client.query(
      `UPDATE teams SET rev = $2, schema_version = $3, next_decision_number = $4, config = $5, extra = $6,
         n_sessions = $7, n_decisions = $8, updated_at = now() WHERE team_id = $1`,
      [
        teamId,
        rev,
        SCHEMA_VERSION,
        nextDecisionNumber,
        JSON.stringify(config),
        JSON.stringify(extra),
        next.sessions.length,
        next.decisions.length,
      ],
    );
    if (s.upserts.length) {
      await client.query(
        `INSERT INTO sessions (team_id, id, pos, rev, body)
         SELECT $1, u.id, u.pos, $2, u.body::json FROM unnest($3::text[], $4::int[], $5::text[]) AS u(id, pos, body)
         ON CONFLICT (team_id, id) DO UPDATE SET pos = EXCLUDED.pos, rev = EXCLUDED.rev, body = EXCLUDED.body`,
        [teamId, rev, s.upserts.map((u) => u.key), s.upserts.map((u) => u.pos), s.upserts.map((u) => u.json)],
      );
    }
    if (s.deletes.length) {
      await client.query('DELETE FROM sessions WHERE team_id = $1 AND id = ANY($2::text[])', [teamId, s.deletes]);
    }
    if (d.upserts.length) {
      await client.query(
        `INSERT INTO decisions (team_id, number, pos, rev, body)
         SELECT $1, u.number, u.pos, $2, u.body::json FROM unnest($3::int[], $4::int[], $5::text[]) AS u(number, pos, body)
         ON CONFLICT (team_id, number) DO UPDATE SET pos = EXCLUDED.pos, rev = EXCLUDED.rev, body = EXCLUDED.body`,
        [teamId, rev, d.upserts.map((u) => u.key), d.upserts.map((u) => u.pos), d.upserts.map((u) => u.json)],
      );
    }
    if (d.deletes.length) {
      await client.query('DELETE FROM decisions WHERE team_id = $1 AND number = ANY($2::int[])', [teamId, d.deletes]);
    }
    if (seenEvents !== base.doc.seenEvents) {
      const before = new Set(base.doc.seenEvents);
      const after = new Set(seenEvents);
      const added = seenEvents.filter((e) => !before.has(e));
      const removed = base.doc.seenEvents.filter((e) => !after.has(e));
      if (removed.length) {
        await client.query('DELETE FROM seen_events WHERE team_id = $1 AND event_id = ANY($2::text[])', [
          teamId,
          removed,
        ]);
      }
      // The primary key (team_id, event_id) refuses a second delivery of one event even if a caller did not check.
      if (added.length) {
        await client.query(
          `INSERT INTO seen_events (team_id, event_id)
           SELECT $1, u.e FROM unnest($2::text[]) WITH ORDINALITY AS u(e, n) ORDER BY u.n`,
          [teamId, added],
        );
      }
    }
    return { rev, doc: next, sessionAt: s.at, decisionAt: d.at, rewrite: false };
  }

  /** One batch of a team's queue: applies it in order in one locked transaction, then settles each caller. */
  private async drain(teamId: string, batch: Pending[]): Promise<void> {
    let applied: Array<{ p: Pending; value: unknown }> = [];
    let failed: Array<{ p: Pending; err: unknown }> = [];
    try {
      await this.migrate();
      await this.locked(teamId, async (client, base) => {
        const batched = await applyBatch(teamId, base.doc, batch);
        ({ applied, failed } = batched);
        const { state, touched } = batched;
        if (state === base.doc) return { commit: undefined, value: undefined };
        try {
          return { commit: await this.write(client, teamId, base, state, false, touched), value: undefined };
        } catch (err) {
          if (err instanceof StoreError) throw err;
          throw new StoreError(
            'write_failed',
            `cannot write team ${teamId} to ${this.where}: ${(err as Error).message}`,
            this.where,
          );
        }
      });
    } catch (err) {
      const failure = this.unavailable(err);
      for (const a of applied) a.p.reject(failure);
      for (const f of failed) f.p.reject(f.err);
      // Those not reached yet (the lock was never taken) fail the same way.
      for (const p of batch) if (!applied.some((a) => a.p === p) && !failed.some((f) => f.p === p)) p.reject(failure);
      return;
    }
    for (const a of applied) a.p.resolve(a.value);
    for (const f of failed) f.p.reject(f.err);
  }

  async teams(): Promise<string[]> {
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    await this.migrate();
    try {
      const { rows } = await this.pool.query<{ team_id: string }>(
        'SELECT team_id FROM teams WHERE rev > 0 ORDER BY team_id COLLATE "C"',
      );
      return rows.map((r) => r.team_id);
    } catch (err) {
      throw this.unavailable(err);
    }
  }

  /** Loads every row of a team afresh, bypassing what this process holds. */
  private async loadFresh(teamId: string): Promise<Cached | undefined> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const head = (await client.query<HeadRow>(HEAD, [teamId])).rows[0];
      const loaded = head ? await this.loadAll(client, teamId, head) : undefined;
      await client.query('COMMIT');
      return loaded;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async check(): Promise<TeamCheck[]> {
    const out: TeamCheck[] = [];
    for (const teamId of await this.teams()) {
      const file = `${this.where}#${teamId}`;
      try {
        await this.loadFresh(teamId);
        out.push({ teamId, file, ok: true });
      } catch (err) {
        out.push({ teamId, file, ok: false, error: (err as Error).message });
      }
    }
    return out;
  }

  /**
   * Stores a whole document (from another store) as the team's rows:
   * `created` for a new team, `unchanged` when the same data is already
   * there, `conflict` when different data is there (nothing is written unless
   * `replace`, then `replaced`).
   */
  async importTeam(input: TeamDoc, options: { replace?: boolean } = {}): Promise<ImportOutcome> {
    await this.open(input.teamId);
    const parsed = TeamDoc.safeParse(input);
    if (!parsed.success) throw this.corrupt(input.teamId, 'the imported team', parsed.error);
    const doc = adopt(parsed.data);
    return this.locked(input.teamId, async (client, base) => {
      const isNew = base.rev === 0;
      if (!isNew && canonical(base.doc) === canonical(doc)) return { commit: undefined, value: 'unchanged' as const };
      if (!isNew && !options.replace) return { commit: undefined, value: 'conflict' as const };
      return { commit: await this.write(client, doc.teamId, base, doc, true), value: isNew ? 'created' : 'replaced' };
    });
  }

  /** Rows actually stored for a team (counted, not taken from the team row). */
  async counts(teamId: string): Promise<{ sessions: number; decisions: number; seenEvents: number }> {
    await this.open(teamId);
    const { rows } = await this.pool.query<{ s: string; d: string; e: string }>(
      `SELECT (SELECT count(*) FROM sessions WHERE team_id = $1) AS s,
              (SELECT count(*) FROM decisions WHERE team_id = $1) AS d,
              (SELECT count(*) FROM seen_events WHERE team_id = $1) AS e`,
      [teamId],
    );
    const r = rows[0];
    return { sessions: Number(r?.s), decisions: Number(r?.d), seenEvents: Number(r?.e) };
  }

  /**
   * Runs `task` holding a session-level advisory lock on `key`, so tasks on one
   * key run one after another in every process on this database (the Slack
   * calls of one interview, which render the stored state when they run). The
   * locks use their own connections: a task's store calls never wait for them.
   */
  async exclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    if (!this.lockPool) {
      this.lockPool = new (loadPg().Pool)({ ...this.poolConfig, max: 4 });
      this.lockPool.on('error', () => undefined);
      this.lockPool.on('connect', (client) => client.on('error', () => undefined));
    }
    let client: pg.PoolClient | undefined;
    try {
      client = await this.lockPool.connect();
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    } catch (err) {
      // A connection that failed while locking is dropped, not handed to the next caller.
      client?.release(err as Error);
      throw this.unavailable(err);
    }
    const locked = client;
    try {
      return await task();
    } finally {
      // A connection that fails here is dropped, which releases its locks too.
      await locked.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).then(
        () => locked.release(),
        (err: Error) => locked.release(err),
      );
    }
  }

  /** Sealed Slack install records (see installations.ts) in the same database. */
  sealedRecords(): SealedRecords {
    const query = async <R extends pg.QueryResultRow>(sql: string, values: unknown[]) => {
      if (this.closed) throw new StoreError('closed', 'the store is closed');
      await this.migrate();
      try {
        return await this.pool.query<R>(sql, values);
      } catch (err) {
        throw this.unavailable(err);
      }
    };
    return {
      get: async (key) =>
        (await query<{ sealed: string }>('SELECT sealed FROM slack_installations WHERE key = $1', [key])).rows[0]
          ?.sealed,
      put: async (key, sealed) => {
        await query(
          `INSERT INTO slack_installations (key, sealed) VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now()`,
          [key, sealed],
        );
      },
      delete: async (key) => {
        await query('DELETE FROM slack_installations WHERE key = $1', [key]);
      },
      keys: async (prefix = '') =>
        (
          await query<{ key: string }>('SELECT key FROM slack_installations WHERE starts_with(key, $1) ORDER BY key', [
            prefix,
          ])
        ).rows.map((r) => r.key),
    };
  }

  /** Resolves when the backend can serve requests; rejects with the reason otherwise. */
  async ping(): Promise<void> {
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    let readOnly: string | undefined;
    try {
      await this.migrate();
      // A database that answers but takes no writes (a standby after failover, a read-only session) is not ready.
      readOnly = (await this.pool.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro"))
        .rows[0]?.ro;
    } catch (err) {
      throw this.unavailable(err);
    }
    if (readOnly === 'on') {
      throw new StoreError('unavailable', `PostgreSQL at ${this.where} takes no writes (read-only)`, this.where);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.batches.running().length > 0 || this.reading.size > 0) {
      await Promise.allSettled([...this.batches.running(), ...this.reading]);
    }
    await this.pool.end();
    await this.lockPool?.end();
  }
}

/** JSON with object keys sorted, so two equal documents compare equal whatever order their keys came in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
