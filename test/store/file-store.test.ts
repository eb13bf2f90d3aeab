import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordDecision } from '../../src/domain/machine/record.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import { AtomicJsonFile } from '../../src/store/atomic-json-file.js';
import { FileLock } from '../../src/store/file-lock.js';
import { FileStore, StoreError, TeamDoc } from '../../src/store/index.js';

const flow = getFlow();
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mesh-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const answers = { clusters: 'one', pains: ['mtls'] };
const addDecision = (store: FileStore, team: string, by: string) =>
  store.update(team, (doc) => {
    const r = recordDecision(doc, {
      title: `Decision by ${by}`,
      answers,
      recommendation: recommend(flow, answers),
      status: 'proposed',
      by,
      now: new Date('2026-11-25T00:00:00Z'),
    });
    if (!r.ok) throw new Error(r.error.kind);
    return r.value.number;
  });

describe('FileStore', () => {
  it('keeps one file per team that a new process reads back', async () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    await addDecision(store, 'T1', 'U1');
    await addDecision(store, 'local', 'terminal');
    await store.close();
    expect(readdirSync(join(dir, 'teams')).sort()).toEqual(['T1.json', 'local.json']);
    const again = new FileStore(dir);
    expect((await again.read('T1')).decisions.map((d) => d.title)).toEqual(['Decision by U1']);
    expect(TeamDoc.parse(JSON.parse(readFileSync(join(dir, 'teams', 'local.json'), 'utf8'))).teamId).toBe('local');
  });

  it('loses no write and numbers decisions uniquely and gaplessly under 200 concurrent writes across 20 teams', async () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    const teams = Array.from({ length: 20 }, (_, i) => `T${i}`);
    const writes = Array.from({ length: 200 }, (_, i) => addDecision(store, teams[i % 20] as string, `U${i}`));
    const numbers = await Promise.all(writes);
    await store.close();
    expect(numbers).toHaveLength(200);
    for (const team of teams) {
      const doc = TeamDoc.parse(JSON.parse(readFileSync(join(dir, 'teams', `${team}.json`), 'utf8')));
      expect(doc.decisions.map((d) => d.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(doc.nextDecisionNumber).toBe(11);
    }
    const allAuthors = teams.flatMap((t) =>
      TeamDoc.parse(JSON.parse(readFileSync(join(dir, 'teams', `${t}.json`), 'utf8'))).decisions.map(
        (d) => d.createdBy,
      ),
    );
    expect(new Set(allAuthors).size).toBe(200);
  });

  it('never overwrites a file that does not parse; other teams keep working; check reports it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'teams'), { recursive: true });
    const bad = join(dir, 'teams', 'TBAD.json');
    writeFileSync(bad, '{"schemaVersion": 1, "teamId": "TBAD", ');
    const store = new FileStore(dir);
    const failure = await addDecision(store, 'TBAD', 'U1').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toBe('corrupt');
    expect((failure as StoreError).message).toContain(bad);
    expect(readFileSync(bad, 'utf8')).toBe('{"schemaVersion": 1, "teamId": "TBAD", ');
    expect(await addDecision(store, 'TGOOD', 'U2')).toBe(1);
    const report = await store.check();
    expect(report).toEqual([
      expect.objectContaining({ teamId: 'TBAD', ok: false }),
      expect.objectContaining({ teamId: 'TGOOD', ok: true }),
    ]);
  });

  it('refuses a file that fails the schema, naming the field, and leaves it as it was', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'teams'), { recursive: true });
    const file = join(dir, 'teams', 'T2.json');
    const content = JSON.stringify({
      schemaVersion: 1,
      teamId: 'T2',
      nextDecisionNumber: 'one',
      sessions: [],
      decisions: [],
      config: {},
    });
    writeFileSync(file, content);
    const store = new FileStore(dir);
    await expect(store.read('T2')).rejects.toThrow(/nextDecisionNumber/);
    await expect(addDecision(store, 'T2', 'U1')).rejects.toThrow(StoreError);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('works again once an operator repairs the file, without a restart', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'teams'), { recursive: true });
    const file = join(dir, 'teams', 'T3.json');
    writeFileSync(file, 'not json');
    const store = new FileStore(dir);
    await expect(store.read('T3')).rejects.toThrow(StoreError);
    rmSync(file);
    expect(await addDecision(store, 'T3', 'U1')).toBe(1);
  });

  it('refuses a document from a newer schema version instead of guessing', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'teams'), { recursive: true });
    writeFileSync(join(dir, 'teams', 'T4.json'), JSON.stringify({ schemaVersion: 99, teamId: 'T4' }));
    await expect(new FileStore(dir).read('T4')).rejects.toThrow(/newer/);
  });

  it('migrates a document written before schemaVersion existed', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'teams'), { recursive: true });
    writeFileSync(
      join(dir, 'teams', 'T5.json'),
      JSON.stringify({ teamId: 'T5', nextDecisionNumber: 1, sessions: [], decisions: [] }),
    );
    const doc = await new FileStore(dir).read('T5');
    expect(doc.schemaVersion).toBe(1);
    expect(doc.config.approvals).toBe(0);
  });

  it('discards the change when the update function throws', async () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    await addDecision(store, 'T6', 'U1');
    await expect(
      store.update('T6', (doc) => {
        doc.decisions = [];
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await store.read('T6')).decisions).toHaveLength(1);
    expect((await new FileStore(dir).read('T6')).decisions).toHaveLength(1);
  });

  it('rejects team ids that could escape the folder', async () => {
    const store = new FileStore(tempDir());
    await expect(store.read('../etc')).rejects.toMatchObject({ code: 'bad_team' });
    await expect(store.update('a/b', () => undefined)).rejects.toMatchObject({ code: 'bad_team' });
  });
});

describe('AtomicJsonFile', () => {
  it('leaves the previous file and no temporary file behind when the write fails', async () => {
    const dir = tempDir();
    const target = join(dir, 'doc.json');
    mkdirSync(target); // a directory where the file should be: rename fails
    const adapter = new AtomicJsonFile<{ a: number }>(target);
    await expect(adapter.write({ a: 1 })).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['doc.json']);
  });

  it('reads null for a missing file and rethrows a parse error', async () => {
    const dir = tempDir();
    expect(await new AtomicJsonFile(join(dir, 'none.json')).read()).toBeNull();
    writeFileSync(join(dir, 'bad.json'), '{');
    await expect(new AtomicJsonFile(join(dir, 'bad.json')).read()).rejects.toThrow(SyntaxError);
  });
});

describe('FileStore under load', () => {
  it('saves updates queued behind a write together, and one failing update spoils none of the others', async () => {
    const dir = tempDir();
    const store = new FileStore(dir, { durable: false });
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        i === 7
          ? store.update('T1', (doc) => {
              doc.decisions.length = 0;
              throw new Error('boom');
            })
          : addDecision(store, 'T1', `U${i}`),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const onDisk = TeamDoc.parse(JSON.parse(readFileSync(join(dir, 'teams', 'T1.json'), 'utf8')));
    expect(onDisk.decisions.map((d) => d.number)).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
  });

  it('hands out frozen documents, and results that outlive the update', async () => {
    const store = new FileStore(tempDir(), { durable: false });
    const decision = await store.update('T1', (doc) => {
      const r = recordDecision(doc, {
        title: 'kept',
        answers,
        recommendation: recommend(flow, answers),
        status: 'proposed',
        by: 'U1',
        now: new Date(),
      });
      return r.ok ? r.value : undefined;
    });
    expect(decision?.title).toBe('kept');
    expect(structuredClone(decision)).toEqual(decision);
    const doc = await store.read('T1');
    expect(() => {
      (doc.decisions as unknown[]).push({});
    }).toThrow(TypeError);
    expect((await store.read('T1')).decisions).toHaveLength(1);
  });

  it('refuses to save an update that breaks the schema and keeps the previous state', async () => {
    const store = new FileStore(tempDir(), { durable: false });
    await addDecision(store, 'T1', 'U1');
    await expect(
      store.update('T1', (doc) => {
        (doc.decisions[0] as { number: unknown }).number = 'one';
      }),
    ).rejects.toMatchObject({ code: 'write_failed' });
    expect((await store.read('T1')).decisions[0]?.number).toBe(1);
  });
});

describe('FileStore.ping', () => {
  it('resolves on a usable data folder, creating it, and leaves no file behind', async () => {
    const dir = join(tempDir(), 'data');
    const store = new FileStore(dir);
    await Promise.all([store.ping(), store.ping(), store.ping()]);
    expect(readdirSync(join(dir, 'teams'))).toEqual([]);
    expect(await store.teams()).toEqual([]);
  });

  it('rejects naming the folder when the data folder cannot be written, and resolves once it is repaired', async () => {
    const base = tempDir();
    // Tests run as root, which ignores permission bits; a file where the folder should be fails for anyone.
    writeFileSync(join(base, 'data'), '');
    const store = new FileStore(join(base, 'data'));
    await expect(store.ping()).rejects.toMatchObject({
      code: 'write_failed',
      message: expect.stringContaining('data'),
    });
    rmSync(join(base, 'data'));
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('rejects once the store is closed', async () => {
    const store = new FileStore(tempDir());
    await store.close();
    await expect(store.ping()).rejects.toMatchObject({ code: 'closed' });
  });

  it('rejects when the teams folder can no longer be listed', async () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    await store.ping();
    rmSync(join(dir, 'teams'), { recursive: true });
    writeFileSync(join(dir, 'teams'), '');
    await expect(store.ping()).rejects.toBeInstanceOf(StoreError);
  });
});

describe('FileStore file operations', () => {
  it('keeps the team lock for a batch already queued behind a write, and releases it once the queue is empty', async () => {
    const dir = tempDir();
    const store = new FileStore(dir, { durable: false });
    await addDecision(store, 'T1', 'seed');
    const acquire = vi.spyOn(FileLock, 'acquire');
    const release = vi.spyOn(FileLock.prototype, 'release');
    // The first update starts a batch alone; the other 49 queue behind its write and form the second.
    const numbers = await Promise.all(Array.from({ length: 50 }, (_, i) => addDecision(store, 'T1', `U${i}`)));
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    expect(acquire).toHaveBeenCalledTimes(1);
    expect(release).toHaveBeenCalledTimes(1);
    expect(readdirSync(join(dir, 'teams'))).toEqual(['T1.json']);
    // Another process (another store on the folder) gets the lock and sees every write.
    expect(await addDecision(new FileStore(dir, { lockTimeoutMs: 100 }), 'T1', 'other')).toBe(52);
  });

  it.each([
    ['its file', { durable: false }],
    // With a flush between the log's append and the cache, a read's stat can see the appended bytes first.
    ['its record log', { durable: true, logFromBytes: 0 }],
  ])(
    'never takes its own write for an outside change: reads racing writes to %s do not read the file again',
    async (_, options) => {
      const dir = tempDir();
      const store = new FileStore(dir, options);
      await addDecision(store, 'T1', 'seed');
      const reads = vi.spyOn(AtomicJsonFile.prototype, 'readVersion');
      for (let round = 0; round < 30; round++) {
        const write = addDecision(store, 'T1', `U${round}`);
        // Reads issued at every point of the write: before the lock, during the write, after the rename.
        const racing = Array.from(
          { length: 12 },
          (_, i) =>
            new Promise<number>((resolve, reject) => {
              setTimeout(() => store.read('T1').then((d) => resolve(d.decisions.length), reject), i % 4);
            }),
        );
        const [n, ...seen] = await Promise.all([write, ...racing]);
        for (const s of seen) expect([n - 1, n]).toContain(s);
      }
      expect(reads).not.toHaveBeenCalled();
      expect((await store.read('T1')).decisions).toHaveLength(31);
    },
  );

  it('still reads the file again after another process wrote it', async () => {
    const dir = tempDir();
    const one = new FileStore(dir, { durable: false });
    const two = new FileStore(dir, { durable: false });
    await addDecision(one, 'T1', 'first');
    await one.read('T1');
    const reads = vi.spyOn(AtomicJsonFile.prototype, 'readVersion');
    await addDecision(two, 'T1', 'second');
    expect((await one.read('T1')).decisions.map((d) => d.title)).toEqual(['Decision by first', 'Decision by second']);
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
