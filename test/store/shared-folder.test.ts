import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { recordDecision } from '../../src/domain/machine/record.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import { FileStore, StoreError, TeamDoc } from '../../src/store/index.js';

const RECORDER = new URL('./fixtures/recorder.ts', import.meta.url).pathname;
const BIN = new URL('../../bin/mesh-help.js', import.meta.url).pathname;
const flow = getFlow();
const answers = { clusters: 'one', pains: ['mtls'] };
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mesh-shared-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Child = ChildProcessByStdio<Writable, Readable, null>;

/** Resolves when the child prints `line`; rejects if it exits first. */
function lineFrom(child: Child, line: string, out: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      out.push(...lines);
      if (lines.includes(line)) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before printing "${line}"`)));
  });
}

const addDecision = (store: FileStore, team: string, title: string) =>
  store.update(team, (doc) => {
    const r = recordDecision(doc, {
      title,
      answers,
      recommendation: recommend(flow, answers),
      status: 'proposed',
      by: 'U1',
      now: new Date(),
    });
    if (!r.ok) throw new Error(r.error.kind);
    return r.value.number;
  });

describe('two processes on one data folder', () => {
  it('keeps all 10 decisions recorded by two processes at once, each with its own number', async () => {
    const dir = tempDir();
    const children = ['A', 'B'].map(
      (label) =>
        spawn(process.execPath, ['--import', 'tsx', RECORDER, dir, 'T1', '5', label], {
          stdio: ['pipe', 'pipe', 'inherit'],
        }) as Child,
    );
    const outs = children.map(() => [] as string[]);
    await Promise.all(children.map((c, i) => lineFrom(c, 'ready', outs[i] ?? [])));
    const finished = children.map((c, i) => lineFrom(c, 'done', outs[i] ?? []));
    for (const c of children) c.stdin.write('go\n');
    await Promise.all(finished);
    const doc = TeamDoc.parse(JSON.parse(readFileSync(join(dir, 'teams', 'T1.json'), 'utf8')));
    expect(doc.decisions.map((d) => d.title).sort()).toEqual(
      ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'B-1', 'B-2', 'B-3', 'B-4', 'B-5'].sort(),
    );
    expect(doc.decisions.map((d) => d.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Each process was told the number its decision really has.
    const told = outs
      .flat()
      .filter((l) => l.startsWith('recorded '))
      .map((l) => Number(l.slice(9)));
    expect(told.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(readdirSync(join(dir, 'teams'))).toEqual(['T1.json']);
  }, 30_000);

  it('a terminal `interview --accept` while the bot holds the team in memory is not overwritten by the bot', async () => {
    const dir = tempDir();
    const bot = new FileStore(dir);
    expect(await addDecision(bot, 'T1', 'from the bot')).toBe(1);
    const file = join(dir, 'answers.json');
    writeFileSync(file, JSON.stringify({ clusters: 'one', services: 'under-10', pains: ['none'] }));
    const cli = spawn(
      process.execPath,
      [BIN, 'interview', '--answers', file, '--team', 'T1', '--accept', '--title', 'from the terminal'],
      { env: { ...process.env, MESH_HELP_DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const code = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
    expect(code).toBe(0);
    expect(await addDecision(bot, 'T1', 'from the bot again')).toBe(3);
    const doc = await new FileStore(dir).read('T1');
    expect(doc.decisions.map((d) => [d.number, d.title])).toEqual([
      [1, 'from the bot'],
      [2, 'from the terminal'],
      [3, 'from the bot again'],
    ]);
  }, 30_000);
});

describe('a team file changed behind the store', () => {
  it('a file corrupted while the store runs is refused, not rewritten from memory', async () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    await addDecision(store, 'T1', 'kept');
    const file = join(dir, 'teams', 'T1.json');
    writeFileSync(file, '{"half a file');
    const failure = await addDecision(store, 'T1', 'refused').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toBe('corrupt');
    expect(readFileSync(file, 'utf8')).toBe('{"half a file');
    await expect(store.read('T1')).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('a file moved aside while the store runs is not recreated from memory', async () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    await addDecision(store, 'T1', 'kept');
    const file = join(dir, 'teams', 'T1.json');
    rmSync(file);
    const failure = await addDecision(store, 'T1', 'refused').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toBe('vanished');
    expect((failure as StoreError).message).toMatch(/T1\.json was there and is gone/);
    expect(readdirSync(join(dir, 'teams'))).toEqual([]);
    // Another team is unaffected; a fresh process (a restart) starts the moved team afresh.
    expect(await addDecision(store, 'T2', 'other team')).toBe(1);
    expect(await addDecision(new FileStore(dir), 'T1', 'after restart')).toBe(1);
  });

  it('a file changed by another process is read again before the next write', async () => {
    const dir = tempDir();
    const one = new FileStore(dir);
    const two = new FileStore(dir);
    expect(await addDecision(one, 'T1', 'first')).toBe(1);
    expect((await two.read('T1')).decisions).toHaveLength(1);
    expect(await addDecision(one, 'T1', 'second')).toBe(2);
    expect(await addDecision(two, 'T1', 'third')).toBe(3);
    expect((await one.read('T1')).decisions.map((d) => d.title)).toEqual(['first', 'second', 'third']);
  });

  it('removes temporary files and locks left by a crashed process at start-up, and keeps a live one', async () => {
    const dir = tempDir();
    const teams = join(dir, 'teams');
    mkdirSync(teams, { recursive: true });
    const seed = new FileStore(dir);
    await addDecision(seed, 'T1', 'kept');
    await seed.close();
    // A dead holder: a pid that cannot exist (above pid_max).
    const dead = JSON.stringify({ pid: 99_999_999, host: (await import('node:os')).hostname(), token: 't', at: '' });
    writeFileSync(join(teams, '.T1.json.lock'), dead);
    writeFileSync(join(teams, '.T1.json.0a1b2c3d.tmp'), '{"half');
    writeFileSync(join(teams, '.T9.json.deadbeef.tmp'), '{"half');
    // A live holder (this process) of T5's lock: its temporary file may be a write in progress.
    const live = JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), token: 'u', at: '' });
    writeFileSync(join(teams, '.T5.json.lock'), live);
    writeFileSync(join(teams, '.T5.json.01234567.tmp'), '{"in progress');
    const store = new FileStore(dir);
    expect(await store.teams()).toEqual(['T1']);
    expect(readdirSync(teams).sort()).toEqual(['.T5.json.01234567.tmp', '.T5.json.lock', 'T1.json']);
    expect(await addDecision(store, 'T1', 'after the crash')).toBe(2);
  });

  it('a lock held by a live process is waited for, then the write fails naming the holder and changes nothing', async () => {
    const dir = tempDir();
    const seed = new FileStore(dir);
    await addDecision(seed, 'T1', 'kept');
    const { hostname } = await import('node:os');
    const live = { pid: process.pid, host: hostname(), token: 'held', at: new Date().toISOString() };
    writeFileSync(join(dir, 'teams', '.T1.json.lock'), JSON.stringify(live));
    const store = new FileStore(dir, { lockTimeoutMs: 100 });
    const failure = await addDecision(store, 'T1', 'refused').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'locked' });
    expect((failure as Error).message).toContain(`process ${process.pid}`);
    expect((await store.read('T1')).decisions.map((d) => d.title)).toEqual(['kept']);
  });

  it('a lock from another host is taken over once it is older than any write holds one', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'teams'), { recursive: true });
    const old = { pid: 1, host: 'another-host', token: 'gone', at: new Date(Date.now() - 120_000).toISOString() };
    writeFileSync(join(dir, 'teams', '.T1.json.lock'), JSON.stringify(old));
    expect(await addDecision(new FileStore(dir, { lockTimeoutMs: 100 }), 'T1', 'after')).toBe(1);
  });
});
