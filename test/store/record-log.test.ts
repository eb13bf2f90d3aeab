import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordDecision } from '../../src/domain/machine/record.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import { FileLock } from '../../src/store/file-lock.js';
import { FileStore, StoreError } from '../../src/store/index.js';

/**
 * A large team's writes append the records they change to `<team>.json.log`
 * instead of rewriting the whole file (issue #22: a click costs its session,
 * not the team). These tests make "large" small (LOG_FROM bytes).
 */
const LOG_FROM = 8 * 1024;
const flow = getFlow();
const answers = { clusters: 'one', pains: ['mtls'] };
const recommendation = recommend(flow, answers);
const now = new Date('2026-12-01T00:00:00Z');

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mesh-log-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const addDecision = (store: FileStore, title: string) =>
  store.update('T1', (doc) => {
    const r = recordDecision(doc, { title, answers, recommendation, status: 'proposed', by: 'U1', now });
    if (!r.ok) throw new Error(r.error.kind);
    return r.value.number;
  });
const retitle = (store: FileStore, n: number, title: string) =>
  store.update('T1', (doc) => {
    const d = doc.decisions.find((x) => x.number === n);
    if (d) d.title = title;
  });

/** A team just past LOG_FROM, written whole. */
async function largeTeam(dir: string): Promise<FileStore> {
  const store = new FileStore(dir, { logFromBytes: LOG_FROM });
  while (!existsSync(join(dir, 'teams', 'T1.json')) || statSync(join(dir, 'teams', 'T1.json')).size < LOG_FROM) {
    await addDecision(store, 'seed');
  }
  return store;
}

const files = (dir: string) => ({ file: join(dir, 'teams', 'T1.json'), log: join(dir, 'teams', 'T1.json.log') });

describe('the record log of a large team', () => {
  it('appends only the changed record and leaves the file as it was; a new process reads both', async () => {
    const dir = tempDir();
    const store = await largeTeam(dir);
    const { file, log } = files(dir);
    const before = readFileSync(file);
    await retitle(store, 1, 'Edited <once>');
    expect(readFileSync(file)).toEqual(before);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    const change = JSON.parse(lines[1] as string);
    expect(change.decisions.map((d: { number: number }) => d.number)).toEqual([1]);
    expect(change.sessions).toBeUndefined();
    // The line costs the record, not the team.
    expect(Buffer.byteLength(lines[1] as string)).toBeLessThan(before.length / 2);
    const fresh = new FileStore(dir, { logFromBytes: LOG_FROM });
    const doc = await fresh.read('T1');
    expect(doc.decisions[0]?.title).toBe('Edited <once>');
    expect(doc).toEqual(await store.read('T1'));
  });

  it('is compacted into the file once it is as large as the file, and nothing is lost', async () => {
    const dir = tempDir();
    const store = await largeTeam(dir);
    const { file, log } = files(dir);
    const size = statSync(file).size;
    let compacted = false;
    for (let i = 0; i < 200 && !compacted; i++) {
      await retitle(store, 1, `Title ${i}`);
      compacted = !existsSync(log) && statSync(file).size !== size;
    }
    expect(compacted).toBe(true);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.decisions[0].title).toMatch(/^Title \d+$/);
    expect((await new FileStore(dir, { logFromBytes: LOG_FROM }).read('T1')).decisions[0]?.title).toBe(
      doc.decisions[0].title,
    );
  });

  it('drops a torn last line (a write that never finished), and the next write cuts it off first', async () => {
    const dir = tempDir();
    const store = await largeTeam(dir);
    const { log } = files(dir);
    await retitle(store, 1, 'kept');
    // Left running (not closed, which would compact the log away): it holds no lock once its writes are done.
    appendFileSync(log, '{"decisions":[{"number":1,"title":"half');
    const again = new FileStore(dir, { logFromBytes: LOG_FROM });
    expect((await again.read('T1')).decisions[0]?.title).toBe('kept');
    await retitle(again, 2, 'after the tear');
    const text = readFileSync(log, 'utf8');
    expect(text).not.toContain('half');
    expect(text.endsWith('\n')).toBe(true);
    const third = new FileStore(dir, { logFromBytes: LOG_FROM });
    const doc = await third.read('T1');
    expect(doc.decisions.map((d) => d.title).slice(0, 2)).toEqual(['kept', 'after the tear']);
  });

  it('refuses a log with a bad line in the middle, naming it, and writes nothing over it', async () => {
    const dir = tempDir();
    const store = await largeTeam(dir);
    const { file, log } = files(dir);
    await retitle(store, 1, 'one');
    await retitle(store, 1, 'two');
    // Left running (not closed, which would compact the log away): it holds no lock once its writes are done.
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[1] = 'not json';
    writeFileSync(log, lines.join('\n'));
    const [fileBytes, logBytes] = [readFileSync(file), readFileSync(log)];
    const again = new FileStore(dir, { logFromBytes: LOG_FROM });
    const err = await again.read('T1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('corrupt');
    expect((err as Error).message).toContain('T1.json.log');
    expect((err as Error).message).toContain('line 2');
    await expect(retitle(again, 1, 'three')).rejects.toThrow(/line 2/);
    expect(readFileSync(file)).toEqual(fileBytes);
    expect(readFileSync(log)).toEqual(logBytes);
  });

  it('never replays a log onto another version of the file (a backup put back)', async () => {
    const dir = tempDir();
    const store = await largeTeam(dir);
    const { file } = files(dir);
    const backup = readFileSync(file, 'utf8');
    await retitle(store, 1, 'after the backup');
    // Left running (not closed, which would compact the log away): it holds no lock once its writes are done.
    // The backup, changed by hand: its log no longer names it.
    writeFileSync(file, backup.replace('"title":"seed"', '"title":"restored"'));
    const doc = await new FileStore(dir, { logFromBytes: LOG_FROM }).read('T1');
    expect(doc.decisions[0]?.title).toBe('restored');
  });

  it('shows a write appended by one process to another process sharing the folder', async () => {
    const dir = tempDir();
    const a = await largeTeam(dir);
    const b = new FileStore(dir, { logFromBytes: LOG_FROM });
    expect((await b.read('T1')).decisions[0]?.title).toBe('seed');
    await retitle(a, 1, 'from a');
    expect((await b.read('T1')).decisions[0]?.title).toBe('from a');
    await retitle(b, 1, 'from b');
    expect((await a.read('T1')).decisions[0]?.title).toBe('from b');
    const n = await addDecision(a, 'new in a');
    expect((await b.read('T1')).decisions.at(-1)).toMatchObject({ number: n, title: 'new in a' });
  });

  it('is compacted on a clean stop, so the file alone is complete', async () => {
    const dir = tempDir();
    const store = await largeTeam(dir);
    const { file, log } = files(dir);
    await retitle(store, 1, 'before the stop');
    expect(existsSync(log)).toBe(true);
    await store.close();
    expect(existsSync(log)).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8')).decisions[0].title).toBe('before the stop');
  });

  it('spends a bounded time compacting on a stop, and a log left behind is read back whole', async () => {
    const dir = tempDir();
    await largeTeam(dir);
    const store = new FileStore(dir, { logFromBytes: LOG_FROM, compactOnStopMs: 300 });
    await retitle(store, 1, 'logged before the stop');
    // Another process holds the team's lock through the stop.
    const held = await FileLock.acquire(join(dir, 'teams', '.T1.json.lock'));
    const t0 = Date.now();
    await store.close();
    expect(Date.now() - t0).toBeLessThan(2000);
    await held.release();
    expect(existsSync(files(dir).log)).toBe(true);
    expect((await new FileStore(dir).read('T1')).decisions[0]?.title).toBe('logged before the stop');
  });

  it('keeps what a process that logs appended when another, which would not log yet, writes next', async () => {
    const dir = tempDir();
    const logging = await largeTeam(dir);
    // Its own threshold is far above this team's size: it writes whole files, but must read the log.
    const whole = new FileStore(dir, { logFromBytes: 64 * 1024 * 1024 });
    expect((await whole.read('T1')).decisions[0]?.title).toBe('seed');
    await retitle(logging, 1, 'appended');
    expect((await whole.read('T1')).decisions[0]?.title).toBe('appended');
    await retitle(whole, 2, 'rewritten whole');
    const doc = await new FileStore(dir).read('T1');
    expect(doc.decisions.slice(0, 2).map((d) => d.title)).toEqual(['appended', 'rewritten whole']);
  });

  it('rewrites the file whole when a record is removed, and the old log goes', async () => {
    const dir = tempDir();
    const store = await largeTeam(dir);
    const { file, log } = files(dir);
    await retitle(store, 1, 'logged');
    expect(existsSync(log)).toBe(true);
    await store.update('T1', (doc) => {
      doc.decisions.pop();
    });
    expect(existsSync(log)).toBe(false);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.decisions[0].title).toBe('logged');
    expect(await new FileStore(dir, { logFromBytes: LOG_FROM }).read('T1')).toEqual(await store.read('T1'));
  });
});
