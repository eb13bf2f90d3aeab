import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordDecision } from '../../src/domain/machine/record.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import { FileStore, StoreError } from '../../src/store/index.js';

const flow = getFlow();
const answers = { clusters: 'one' };
const recommendation = recommend(flow, answers);
const mounts: string[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const m of mounts.splice(0)) execFileSync('umount', [m]);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A small tmpfs of our own (root on Linux, as in CI); undefined where mounting is not allowed. */
function tmpfs(options: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-fs-'));
  dirs.push(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

const write = (store: FileStore, team: string, title: string) =>
  store.update(team, (doc) => {
    recordDecision(doc, { title, answers, recommendation, status: 'proposed', by: 'U1', now: new Date() });
  });

describe('a data folder that cannot take writes', () => {
  it('a full disk fails the write with a clear error and leaves the last good file and no partial file', async () => {
    const dir = tmpfs('size=64k') ?? mkdtempSync(join(tmpdir(), 'mesh-full-'));
    if (!mounts.includes(dir)) dirs.push(dir);
    const store = new FileStore(dir);
    await write(store, 'T1', 'small');
    const before = readFileSync(join(dir, 'teams', 'T1.json'), 'utf8');
    // Where no tmpfs can be mounted, a directory in the file's place makes the rename fail instead.
    if (!mounts.includes(dir)) {
      rmSync(join(dir, 'teams', 'T1.json'));
      mkdirSync(join(dir, 'teams', 'T1.json'));
    }
    const failure = await write(store, 'T1', 'x'.repeat(200_000)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toBe('write_failed');
    expect((failure as StoreError).message).toMatch(/cannot write .*T1\.json/);
    expect(readdirSync(join(dir, 'teams')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    if (mounts.includes(dir)) {
      expect(readFileSync(join(dir, 'teams', 'T1.json'), 'utf8')).toBe(before);
      expect((await store.read('T1')).decisions.map((d) => d.title)).toEqual(['small']);
    }
  });

  it('a read-only folder fails writes clearly while reads keep working', async () => {
    const dir = tmpfs('size=1m');
    if (!dir) {
      // Without mount rights, a file where the folder should be is the nearest stand-in.
      const base = mkdtempSync(join(tmpdir(), 'mesh-ro-'));
      dirs.push(base);
      writeFileSync(join(base, 'data'), '');
      await expect(write(new FileStore(join(base, 'data')), 'T1', 'x')).rejects.toThrow();
      return;
    }
    const store = new FileStore(dir);
    await write(store, 'T1', 'kept');
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    const fresh = new FileStore(dir);
    expect((await fresh.read('T1')).decisions).toHaveLength(1);
    await expect(write(fresh, 'T1', 'refused')).rejects.toMatchObject({ code: 'write_failed' });
    expect((await fresh.read('T1')).decisions.map((d) => d.title)).toEqual(['kept']);
  });
});
