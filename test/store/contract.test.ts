import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordDecision } from '../../src/domain/machine/record.js';
import { startSession } from '../../src/domain/machine/session.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import {
  emptyTeam,
  FileStore,
  PgStore,
  type Scope,
  type Session,
  type Store,
  StoreError,
  type TeamDoc,
} from '../../src/store/index.js';
import { approve, firstDelivery, SEEN_EVENTS_KEPT } from '../../src/team/discussion.js';
import { findByKey } from '../../src/team/lookup.js';
import { freshSchema } from '../support/pg.js';

/**
 * What the bot relies on from any Store, run against each backend. A "place"
 * is where one backend keeps its data (a folder, a schema); several store
 * instances on one place stand for several processes, which see each other's
 * writes at once and never lose one.
 */
type Place = { open(): Store; cleanup(): Promise<void> };
type Backend = {
  name: string;
  place(): Promise<Place>;
};

const backends: Backend[] = [
  {
    name: 'FileStore',
    // Two FileStores on one folder share it through a lock file per team and re-reading changed files.
    async place() {
      const dir = mkdtempSync(join(tmpdir(), 'mesh-contract-'));
      return {
        open: () => new FileStore(dir, { durable: false }),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'FileStore with its record log',
    // "Large" from 2 KiB: nearly every write appends to the team's log, and compactions come often.
    async place() {
      const dir = mkdtempSync(join(tmpdir(), 'mesh-contract-log-'));
      return {
        open: () => new FileStore(dir, { durable: false, logFromBytes: 2048 }),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'PgStore',
    async place() {
      const schema = await freshSchema();
      return { open: () => new PgStore(schema.url, { poolSize: 4 }), cleanup: () => schema.drop() };
    },
  },
];

const flow = getFlow();
const answers = { clusters: 'one', pains: ['mtls'] };
const NOW = new Date('2026-11-25T00:00:00Z');

const addDecision = (store: Store, team: string, by: string) =>
  store.update(team, (doc) => {
    const r = recordDecision(doc, {
      title: `Decision by ${by}`,
      answers,
      recommendation: recommend(flow, answers),
      status: 'proposed',
      by,
      now: NOW,
    });
    if (!r.ok) throw new Error(r.error.kind);
    return r.value.number;
  });

/** The session with that id; fails the test when there is none. */
function sessionIn(doc: TeamDoc, id: string): Session {
  const s = findByKey(doc.sessions, (x) => x.id === id);
  if (!s) throw new Error(`no session ${id}`);
  return s;
}

const addSession = (store: Store, team: string, id: string) =>
  store.update(team, (doc) => startSession(doc, { id, startedBy: 'U1', title: `Session ${id}`, now: NOW }).id);

for (const backend of backends) {
  describe(`Store contract: ${backend.name}`, () => {
    const places: Place[] = [];
    const stores: Store[] = [];
    afterAll(async () => {
      await Promise.allSettled(stores.map((s) => s.close()));
      for (const p of places) await p.cleanup();
    });
    /** A fresh place and a store on it; `again` opens another instance there (another process). */
    const setUp = async () => {
      const place = await backend.place();
      places.push(place);
      const again = () => {
        const store = place.open();
        stores.push(store);
        return store;
      };
      return { store: again(), again };
    };
    /** Two instances on one fresh place. */
    const two = async () => {
      const { store: a, again } = await setUp();
      return { a, b: again() };
    };

    it('reads an unknown team as an empty, frozen document and does not list it', async () => {
      const { store } = await setUp();
      const doc = await store.read('T1');
      expect(doc).toEqual(emptyTeam('T1'));
      expect(Object.isFrozen(doc.sessions)).toBe(true);
      expect(await store.update('T1', (d) => d.sessions.length)).toBe(0);
      expect(await store.teams()).toEqual([]);
    });

    it('keeps every part of a document, which a new instance reads back equal', async () => {
      const { store, again } = await setUp();
      await addSession(store, 'T1', 's1');
      await addDecision(store, 'T1', 'U1');
      await store.update('T1', (doc) => {
        doc.config.approvals = 2;
        doc.config.decisionsChannel = 'C0DEC';
        firstDelivery(doc, 'Ev1');
        (doc as Record<string, unknown>).futureField = { kept: true };
        const s = sessionIn(doc, 's1');
        s.answers.clusters = 'one';
        s.messages.clusters = '1700000000.000100';
        s.replies.push({
          ts: '1.2',
          user: 'U2',
          text: 'a <b> & "c" \u2603 \u0000 end',
          at: NOW.toISOString(),
          deleted: false,
        });
      });
      const written = await store.read('T1');
      await store.close();
      const other = again();
      expect(await other.read('T1')).toEqual(written);
      expect(written.sessions[0]?.replies[0]?.text).toBe('a <b> & "c" \u2603 \u0000 end');
      expect((written as Record<string, unknown>).futureField).toEqual({ kept: true });
      expect(await other.teams()).toEqual(['T1']);
    });

    it('lists stored teams in code-point order and checks each as valid', async () => {
      const { store } = await setUp();
      for (const t of ['b', 'T2', 'a-1', 'T10']) await addDecision(store, t, 'U1');
      expect(await store.teams()).toEqual(['T10', 'T2', 'a-1', 'b']);
      const report = await store.check();
      expect(report.map((r) => [r.teamId, r.ok])).toEqual([
        ['T10', true],
        ['T2', true],
        ['a-1', true],
        ['b', true],
      ]);
    });

    it('loses no write and numbers decisions gaplessly under 200 concurrent writes across 20 teams', async () => {
      const { store } = await setUp();
      const teams = Array.from({ length: 20 }, (_, i) => `T${i}`);
      const numbers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => addDecision(store, `T${i % 20}`, `U${i}`)),
      );
      expect(numbers).toHaveLength(200);
      for (const team of teams) {
        const doc = await store.read(team);
        expect(doc.decisions.map((d) => d.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(doc.nextDecisionNumber).toBe(11);
      }
    });

    it('discards the change when the update function throws, and one failure spoils no queued update', async () => {
      const { store } = await setUp();
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          i === 7
            ? store.update('T1', (doc) => {
                doc.decisions.length = 0;
                throw new Error('changed my mind');
              })
            : addDecision(store, 'T1', `U${i}`),
        ),
      );
      const rejected = results.filter((r) => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason.message).toBe('changed my mind');
      expect((await store.read('T1')).decisions.map((d) => d.number)).toEqual(
        Array.from({ length: 29 }, (_, i) => i + 1),
      );
    });

    it('refuses an update that breaks the schema, keeping the previous state', async () => {
      const { store, again } = await setUp();
      await addDecision(store, 'T1', 'U1');
      await expect(
        store.update('T1', (doc) => {
          (doc.decisions[0] as { number: unknown }).number = 'one';
        }),
      ).rejects.toMatchObject({ code: 'write_failed' });
      expect((await store.read('T1')).decisions[0]?.number).toBe(1);
      const other = again();
      expect((await other.read('T1')).decisions[0]?.number).toBe(1);
    });

    it('hands out frozen documents and update results that outlive the draft', async () => {
      const { store } = await setUp();
      const session = await store.update('T1', (doc) =>
        startSession(doc, { id: 's1', startedBy: 'U1', title: 'kept', now: NOW }),
      );
      expect(session.title).toBe('kept');
      expect(structuredClone(session)).toEqual(session);
      const doc = await store.read('T1');
      expect(() => {
        (doc.sessions as unknown[]).push({});
      }).toThrow(TypeError);
      expect((await store.read('T1')).sessions).toHaveLength(1);
    });

    it('rejects team ids that are not letters, digits, - and _', async () => {
      const { store } = await setUp();
      await expect(store.read('../etc')).rejects.toMatchObject({ code: 'bad_team' });
      await expect(store.update('a/b', () => undefined)).rejects.toMatchObject({ code: 'bad_team' });
      await expect(store.read("x'; DROP TABLE teams; --")).rejects.toBeInstanceOf(StoreError);
    });

    it('keeps list order through changes in the middle, removals and reordering', async () => {
      const { store, again } = await setUp();
      for (let i = 0; i < 6; i++) await addSession(store, 'T1', `s${i}`);
      for (let i = 0; i < 4; i++) await addDecision(store, 'T1', `U${i}`);
      await store.update('T1', (doc) => {
        sessionIn(doc, 's3').title = 'changed';
      });
      await store.update('T1', (doc) => {
        doc.sessions.splice(1, 1);
        doc.decisions.reverse();
      });
      await addSession(store, 'T1', 's6');
      const expected = ['s0', 's2', 's3', 's4', 's5', 's6'];
      expect((await store.read('T1')).sessions.map((s) => s.id)).toEqual(expected);
      const other = again();
      const doc = await other.read('T1');
      expect(doc.sessions.map((s) => s.id)).toEqual(expected);
      expect(doc.sessions[2]?.title).toBe('changed');
      expect(doc.decisions.map((d) => d.number)).toEqual([4, 3, 2, 1]);
    });

    it('remembers a bounded window of delivered events and refuses a second delivery', async () => {
      const { store, again } = await setUp();
      const ids = Array.from({ length: SEEN_EVENTS_KEPT + 20 }, (_, i) => `Ev${i}`);
      for (let i = 0; i < ids.length; i += 50) {
        await store.update('T1', (doc) => {
          for (const id of ids.slice(i, i + 50)) firstDelivery(doc, id);
        });
      }
      expect(await store.update('T1', (doc) => firstDelivery(doc, `Ev${ids.length - 1}`))).toBe(false);
      const other = again();
      const seen = (await other.read('T1')).seenEvents;
      expect(seen).toHaveLength(SEEN_EVENTS_KEPT);
      expect(seen[0]).toBe('Ev20');
      expect(seen.at(-1)).toBe(`Ev${ids.length - 1}`);
    });

    it('waits for queued writes on close, then refuses calls', async () => {
      const { store, again } = await setUp();
      const writes = Array.from({ length: 10 }, (_, i) => addDecision(store, 'T1', `U${i}`));
      await store.close();
      await Promise.all(writes);
      await expect(store.read('T1')).rejects.toMatchObject({ code: 'closed' });
      await expect(store.ping()).rejects.toMatchObject({ code: 'closed' });
      const other = again();
      await other.ping();
      expect((await other.read('T1')).decisions).toHaveLength(10);
    });

    it('loses no update when two instances change one session concurrently', async () => {
      const { a, b } = await two();
      await addSession(a, 'T1', 's1');
      const bump = (store: Store, i: number) =>
        store.update('T1', (doc) => {
          const s = sessionIn(doc, 's1');
          s.version += 1;
          s.answeredBy[`q${i}`] = { by: `U${i}`, at: NOW.toISOString() };
        });
      await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? a : b, i)));
      for (const store of [a, b]) {
        const s = sessionIn(await store.read('T1'), 's1');
        expect(s.version).toBe(40);
        expect(Object.keys(s.answeredBy)).toHaveLength(40);
      }
    });

    it('numbers decisions gaplessly when two instances record them at once', async () => {
      const { a, b } = await two();
      const numbers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => addDecision(i % 2 ? a : b, 'T1', `U${i}`)),
      );
      expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect((await b.read('T1')).decisions.map((d) => d.number)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });

    it('creates a new team once when two instances write it first at the same time', async () => {
      const { a, b } = await two();
      await Promise.all([addSession(a, 'TNEW', 'sa'), addSession(b, 'TNEW', 'sb')]);
      expect((await a.read('TNEW')).sessions.map((s) => s.id).sort()).toEqual(['sa', 'sb']);
    });

    it('gives a claim to exactly one of two instances (the "post next step" and answer claims)', async () => {
      const { a, b } = await two();
      await addSession(a, 'T1', 's1');
      const claim = (store: Store, who: string) =>
        store.update('T1', (doc) => {
          const s = sessionIn(doc, 's1');
          if (s.messages.next) return false;
          s.messages.next = `pending:${who}`;
          return true;
        });
      const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(i % 2 ? a : b, `r${i}`)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('handles one event once when every delivery reaches both instances', async () => {
      const { a, b } = await two();
      const handled = await Promise.all(
        ['E1', 'E2', 'E3'].flatMap((e) => [a, b, a, b].map((s) => s.update('T1', (doc) => firstDelivery(doc, e)))),
      );
      expect(handled.filter(Boolean)).toHaveLength(3);
      expect([...(await a.read('T1')).seenEvents].sort()).toEqual(['E1', 'E2', 'E3']);
    });

    it('counts each approver once when approvals arrive at both instances', async () => {
      const { a, b } = await two();
      await addSession(a, 'T1', 's1');
      const people = ['U1', 'U2', 'U3'];
      await Promise.all(
        people.flatMap((by) =>
          [a, b].map((store) =>
            store.update('T1', (doc) => {
              approve(sessionIn(doc, 's1'), { by, at: NOW.toISOString() });
            }),
          ),
        ),
      );
      expect((await b.read('T1')).sessions[0]?.approvals.map((x) => x.by).sort()).toEqual(people);
    });

    it('shows an instance what another wrote since it last read', async () => {
      const { a, b } = await two();
      await addSession(a, 'T1', 's1');
      expect((await b.read('T1')).sessions).toHaveLength(1);
      await addSession(a, 'T1', 's2');
      await a.update('T1', (doc) => {
        doc.sessions.splice(0, 1);
      });
      expect((await b.read('T1')).sessions.map((s) => s.id)).toEqual(['s2']);
      await b.update('T1', (doc) => {
        doc.config.approvals = 1;
      });
      expect((await a.read('T1')).config.approvals).toBe(1);
    });

    it('gives, for any mix of scoped and whole-team updates, what applying them to a plain copy gives, to every instance', async () => {
      const { a, b } = await two();
      // A plain copy of the team, changed by the same functions without any store.
      let model: TeamDoc = emptyTeam('T1');
      const apply = async (scope: Scope | undefined, fn: (doc: TeamDoc) => void) => {
        await (scope ? a.update('T1', fn, scope) : a.update('T1', fn));
        const copy = structuredClone(model);
        fn(copy);
        model = copy;
      };
      for (let i = 0; i < 12; i++) {
        await apply(undefined, (doc) => {
          startSession(doc, { id: `s${i}`, startedBy: 'U1', title: `Session ${i}`, now: NOW });
        });
      }
      let seed = 7;
      const next = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        // The high bits: an LCG's low bits cycle too fast to mix the kinds of update.
        return Math.floor((seed / 2 ** 31) * n);
      };
      for (let step = 0; step < 120; step++) {
        const ids = model.sessions.map((x) => x.id);
        const id = ids[next(ids.length)] as string;
        const kind = next(6);
        if (kind <= 1) {
          const text = `reply ${step}`;
          await apply({ session: id }, (doc) => {
            sessionIn(doc, id).replies.push({
              ts: `${1800000000 + step}.000100`,
              user: 'U2',
              text,
              at: NOW.toISOString(),
              deleted: false,
            });
          });
        } else if (kind === 2) {
          await apply({ session: id }, (doc) => {
            const s = sessionIn(doc, id);
            s.title = `${s.title.slice(0, 40)} ${step}`;
            s.version += 1;
          });
        } else if (kind === 3) {
          await apply({}, (doc) => {
            firstDelivery(doc, `Ev${step}`);
          });
        } else if (kind === 4) {
          await apply(undefined, (doc) => {
            startSession(doc, { id: `n${step}`, startedBy: 'U2', title: `New ${step}`, now: NOW });
          });
        } else {
          // A session removed: the write that cannot be said as records.
          await apply(undefined, (doc) => {
            if (doc.sessions.length > 6) doc.sessions = doc.sessions.filter((x) => x.id !== id);
          });
        }
        if (step % 10 === 9) expect(await b.read('T1')).toEqual(model);
      }
      expect(await a.read('T1')).toEqual(model);
      expect(await b.read('T1')).toEqual(model);
      // Every kind of update came up.
      expect(model.seenEvents.length).toBeGreaterThan(5);
      expect(model.sessions.some((x) => x.replies.length > 1)).toBe(true);
      expect(model.sessions.some((x) => x.id.startsWith('n'))).toBe(true);
    });

    it('loses nothing when scoped and whole-team updates from two instances run at once and batch together', async () => {
      const { a, b } = await two();
      for (let i = 0; i < 8; i++) await addSession(a, 'T1', `s${i}`);
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 80; i++) {
        const store = i % 2 ? a : b;
        const id = `s${i % 8}`;
        if (i % 5 === 4) {
          writes.push(addSession(store, 'T1', `new${i}`));
        } else if (i % 7 === 6) {
          writes.push(store.update('T1', (doc) => firstDelivery(doc, `Ev${i}`), {}));
        } else {
          writes.push(
            store.update(
              'T1',
              (doc) => {
                sessionIn(doc, id).replies.push({
                  ts: `${1800000000 + i}.000100`,
                  user: 'U2',
                  text: `reply ${i}`,
                  at: NOW.toISOString(),
                  deleted: false,
                });
              },
              { session: id },
            ),
          );
        }
      }
      await Promise.all(writes);
      for (const doc of [await a.read('T1'), await b.read('T1')]) {
        const replies = doc.sessions.flatMap((x) => x.replies.map((r) => r.text)).sort();
        const expected = Array.from({ length: 80 }, (_, i) => i)
          .filter((i) => i % 5 !== 4 && i % 7 !== 6)
          .map((i) => `reply ${i}`)
          .sort();
        expect(replies).toEqual(expected);
        expect(doc.sessions.filter((x) => x.id.startsWith('new'))).toHaveLength(16);
        expect(doc.seenEvents.filter((e) => e.startsWith('Ev'))).toHaveLength(
          Array.from({ length: 80 }, (_, i) => i).filter((i) => i % 5 !== 4 && i % 7 === 6).length,
        );
      }
    });
  });
}
