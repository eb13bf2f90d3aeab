import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startSession } from '../../src/domain/machine/session.js';
import { KeyedQueue } from '../../src/slack/runtime/keyed-queue.js';
import { PgStore, type Store } from '../../src/store/index.js';
import { findByKey } from '../../src/team/lookup.js';
import { freshSchema, type TestSchema } from '../support/pg.js';

/** What only the PostgreSQL store promises, beyond the contract both stores keep (contract.test.ts). */
const NOW = new Date('2026-11-25T00:00:00Z');
const schemas: TestSchema[] = [];
const open: Store[] = [];
const clients: pg.Client[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const c of clients.splice(0)) await c.end();
  for (const s of schemas.splice(0)) await s.drop();
});

async function place() {
  const schema = await freshSchema();
  schemas.push(schema);
  const store = () => {
    const s = new PgStore(schema.url, { poolSize: 3 });
    open.push(s);
    return s;
  };
  const sql = async () => {
    const c = new pg.Client({ connectionString: schema.url });
    await c.connect();
    clients.push(c);
    return c;
  };
  return { url: schema.url, store, sql };
}

const addSessions = (store: Store, n: number) =>
  store.update('T1', (doc) => {
    for (let i = 0; i < n; i++) startSession(doc, { id: `s${i}`, startedBy: 'U1', title: `Session ${i}`, now: NOW });
  });

describe('PgStore', () => {
  it('writes only the row that changed, however many sessions the team has', async () => {
    const { store, sql } = await place();
    const s = store();
    await addSessions(s, 300);
    await s.update('T1', (doc) => {
      const one = findByKey(doc.sessions, (x) => x.id === 's150');
      if (one) one.title = 'renamed';
    });
    const db = await sql();
    const { rows } = await db.query(
      `SELECT id FROM sessions WHERE team_id = 'T1' AND rev = (SELECT rev FROM teams WHERE team_id = 'T1')`,
    );
    expect(rows).toEqual([{ id: 's150' }]);
    const other = store();
    expect(findByKey((await other.read('T1')).sessions, (x) => x.id === 's150')?.title).toBe('renamed');
  });

  it('records its schema migrations once, even when two processes start together', async () => {
    const { store, sql } = await place();
    await Promise.all([store().migrate(), store().migrate(), store().ping()]);
    const db = await sql();
    const { rows } = await db.query('SELECT version, name FROM mesh_help_migrations ORDER BY version');
    expect(rows).toEqual([
      { version: 1, name: 'teams, sessions, decisions, seen events' },
      { version: 2, name: 'slack installations' },
      { version: 3, name: 'intake journal' },
    ]);
  });

  it('refuses a database migrated by a newer mesh-help', async () => {
    const { store, sql } = await place();
    await store().migrate();
    const db = await sql();
    await db.query(`INSERT INTO mesh_help_migrations (version, name) VALUES (99, 'from the future')`);
    const late = store();
    await expect(late.migrate()).rejects.toThrow(/schema migration 99, newer than this mesh-help knows/);
    await expect(late.read('T1')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('reports a row that fails the schema as corrupt, and other teams keep working', async () => {
    const { store, sql } = await place();
    const s = store();
    await addSessions(s, 2);
    await s.update('T2', (doc) => {
      doc.config.approvals = 1;
    });
    const db = await sql();
    await db.query(`UPDATE sessions SET body = '{"id": "s1", "title": 5}', rev = rev + 10 WHERE id = 's1'`);
    await db.query(`UPDATE teams SET rev = rev + 10 WHERE team_id = 'T1'`);
    const failure = await s.read('T1').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'corrupt' });
    expect((failure as Error).message).toMatch(/team T1 .* session s1 fails the schema/);
    await expect(s.update('T1', () => undefined)).rejects.toMatchObject({ code: 'corrupt' });
    expect((await s.read('T2')).config.approvals).toBe(1);
    expect((await store().check()).map((r) => [r.teamId, r.ok])).toEqual([
      ['T1', false],
      ['T2', true],
    ]);
  });

  it('refuses two sessions with one id instead of merging them', async () => {
    const { store } = await place();
    const s = store();
    await addSessions(s, 1);
    await expect(addSessions(s, 1)).rejects.toMatchObject({ code: 'write_failed' });
    expect((await store().read('T1')).sessions).toHaveLength(1);
  });

  it('refuses a team written by a newer document version', async () => {
    const { store, sql } = await place();
    await addSessions(store(), 1);
    const db = await sql();
    await db.query(`UPDATE teams SET schema_version = 99`);
    await expect(store().read('T1')).rejects.toThrow(/schemaVersion 99, newer than this mesh-help understands/);
  });

  it('says a database cannot be reached without printing its password', async () => {
    const s = new PgStore('postgres://mesh:hunter2pw@127.0.0.1:1/mesh');
    open.push(s);
    const failure = await s.read('T1').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'unavailable' });
    expect((failure as Error).message).toContain('postgres://mesh@127.0.0.1:1/mesh');
    expect((failure as Error).message).not.toContain('hunter2pw');
    await expect(s.ping()).rejects.toMatchObject({ code: 'unavailable' });
    await expect(s.update('T1', () => 1)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('runs the tasks of one key one at a time across two processes, and other keys meanwhile', async () => {
    const { store } = await place();
    const [a, b] = [store(), store()];
    const queues = [new KeyedQueue((k, t) => a.exclusive(k, t)), new KeyedQueue((k, t) => b.exclusive(k, t))];
    const log: string[] = [];
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    let entered: () => void = () => undefined;
    const first = new Promise<void>((r) => {
      entered = r;
    });
    const held = queues[0]?.run('T1/s1', async () => {
      log.push('a in');
      entered();
      await gate;
      log.push('a out');
    });
    await first;
    const waiting = queues[1]?.run('T1/s1', async () => {
      log.push('b in');
    });
    // Another interview's calls are not held up by the first one.
    await queues[1]?.run('T1/s2', async () => {
      log.push('other');
    });
    open();
    await Promise.all([held, waiting]);
    expect(log).toEqual(['a in', 'other', 'a out', 'b in']);
  });
});
