import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileJournal, JournalError } from '../../src/store/journal.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) c();
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mesh-journal-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
};
const body = (n: number) => ({ type: 'event_callback', event_id: `Ev${n}` });

describe('FileJournal', () => {
  it('gives back after a restart what was appended and not marked done, oldest first', async () => {
    const dir = tempDir();
    const j = new FileJournal(dir);
    const a = await j.append({ body: body(1) });
    const b = await j.append({ body: body(2), retryNum: 1, retryReason: 'http_timeout' });
    await j.append({ body: body(3) }).then((c) => j.markDone(c.id));
    // No close: a crash.
    const again = new FileJournal(dir);
    const pending = await again.pending();
    expect(pending.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(pending[1]).toMatchObject({ body: body(2), retryNum: 1, retryReason: 'http_timeout' });
  });

  it('writes a burst of concurrent appends together, losing none: one write and one fsync for one turn', async () => {
    const dir = tempDir();
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { write: () => unknown; datasync: () => unknown };
    await probe.close();
    const writes = vi.spyOn(proto, 'write');
    const syncs = vi.spyOn(proto, 'datasync');
    const j = new FileJournal(dir);
    const entries = await Promise.all(Array.from({ length: 200 }, (_, i) => j.append({ body: body(i) })));
    expect([writes.mock.calls.length, syncs.mock.calls.length]).toEqual([1, 1]);
    expect(new Set(entries.map((e) => e.id)).size).toBe(200);
    const pending = await new FileJournal(dir).pending();
    expect(pending.map((e) => e.body.event_id)).toEqual(entries.map((e) => e.body.event_id));
  });

  it('ignores a record cut short by a crash', async () => {
    const dir = tempDir();
    const j = new FileJournal(dir);
    const a = await j.append({ body: body(1) });
    await j.close();
    appendFileSync(join(dir, 'intake.jsonl'), '{"op":"in","entry":{"id":"torn","bo');
    expect((await new FileJournal(dir).pending()).map((e) => e.id)).toEqual([a.id]);
  });

  it('empties the file once everything in it is done and it has grown past the limit', async () => {
    const dir = tempDir();
    const j = new FileJournal(dir, { compactBytes: 1000 });
    const entries = await Promise.all(Array.from({ length: 20 }, (_, i) => j.append({ body: body(i) })));
    for (const e of entries.slice(0, 19)) await j.markDone(e.id);
    expect(statSync(j.file).size).toBeGreaterThan(1000);
    const last = entries[19];
    if (!last) throw new Error('no entry');
    await j.markDone(last.id);
    expect(readFileSync(j.file, 'utf8')).toBe('');
    expect(await new FileJournal(dir).pending()).toEqual([]);
  });

  it('a full disk refuses the append and leaves no trace of it', async () => {
    const dir = tempDir();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      throw new Error('this test mounts a small tmpfs: run it as root (CI does)');
    }
    cleanups.push(() => execFileSync('umount', ['-l', dir]));
    const j = new FileJournal(join(dir, 'journal'));
    const kept = await j.append({ body: body(1) });
    writeFileSync(join(dir, 'filler'), Buffer.alloc(4096));
    try {
      for (let i = 0; ; i++) writeFileSync(join(dir, `filler-${i}`), Buffer.alloc(4096));
    } catch {
      // full
    }
    const size = statSync(j.file).size;
    const failure = await j.append({ body: { ...body(2), big: 'x'.repeat(8000) } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(JournalError);
    expect((failure as JournalError).code).toBe('full');
    expect(statSync(j.file).size).toBe(size);
    expect((await new FileJournal(join(dir, 'journal')).pending()).map((e) => e.id)).toEqual([kept.id]);
  });

  it('writes a done mark with the next record, in the same write, and never fsyncs one alone', async () => {
    const dir = tempDir();
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { write: () => unknown; datasync: () => unknown };
    await probe.close();
    const writes = vi.spyOn(proto, 'write');
    const syncs = vi.spyOn(proto, 'datasync');
    const j = new FileJournal(dir, { doneDelayMs: 60_000 });
    const a = await j.append({ body: body(1) });
    expect([writes.mock.calls.length, syncs.mock.calls.length]).toEqual([1, 1]);
    let done = false;
    const marked = j.markDone(a.id).then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(done).toBe(false);
    expect(readFileSync(j.file, 'utf8')).not.toContain('"done"');
    const b = await j.append({ body: body(2) });
    await marked;
    // One more write and one more fsync: the record's, carrying the done mark.
    expect([writes.mock.calls.length, syncs.mock.calls.length]).toEqual([2, 2]);
    expect((await new FileJournal(dir).pending()).map((e) => e.id)).toEqual([b.id]);
    // With no record to ride along with, a done mark is written alone after the delay, without an fsync.
    const quick = new FileJournal(tempDir(), { doneDelayMs: 5 });
    const c = await quick.append({ body: body(3) });
    const syncsBefore = syncs.mock.calls.length;
    await quick.markDone(c.id);
    expect(syncs.mock.calls.length).toBe(syncsBefore);
    expect(await new FileJournal(quick.dir).pending()).toEqual([]);
  });

  it('writes the done marks still waiting when it is closed', async () => {
    const dir = tempDir();
    const j = new FileJournal(dir, { doneDelayMs: 60_000, compactBytes: 1 });
    const a = await j.append({ body: body(1) });
    const b = await j.append({ body: body(2) });
    const marked = j.markDone(a.id);
    await j.close();
    await marked;
    expect((await new FileJournal(dir).pending()).map((e) => e.id)).toEqual([b.id]);
  });
});

describe('FileJournal with a damaged file', () => {
  it('skips and reports each malformed line, and gives back every good entry around them', async () => {
    const dir = tempDir();
    const j = new FileJournal(dir);
    const a = await j.append({ body: body(1) });
    const done = await j.append({ body: body(2) });
    await j.markDone(done.id);
    // No close: a crash; then the file is damaged in the middle.
    appendFileSync(
      join(dir, 'intake.jsonl'),
      [
        'null',
        '{"op":"in","entry":{"id":"no-body","at":"2026-12-01T00:00:00Z"}}',
        '[1,2,3]',
        '{"op":"done"}',
        '{"op":"in","entry":{"id":"bad-retry","at":"x","body":{},"retryNum":"one"}}',
        'not json at all',
        '',
      ].join('\n'),
    );
    const b = await j.append({ body: body(3), retryNum: 2, retryReason: 'http_timeout' });
    const skipped: Array<[number, string]> = [];
    const again = new FileJournal(dir, { onSkipped: (line, why) => skipped.push([line, why]) });
    const pending = await again.pending();
    expect(pending.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(pending[1]).toMatchObject({ body: body(3), retryNum: 2, retryReason: 'http_timeout' });
    expect(skipped.map(([line]) => line)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(skipped[5]?.[1]).toBe('not JSON');
    expect(skipped[0]?.[1]).toMatch(/not a journal record/);
  });

  it('never empties entries it has not read: a journal used without pending() keeps them for the next start', async () => {
    const dir = tempDir();
    const first = new FileJournal(dir);
    const left = await first.append({ body: body(1) });
    // The next process cannot (or does not) read the file, yet takes requests in and finishes them.
    const next = new FileJournal(dir, { compactBytes: 10 });
    const e = await next.append({ body: body(2) });
    await next.markDone(e.id);
    await next.close();
    expect((await new FileJournal(dir).pending()).map((x) => x.id)).toEqual([left.id]);
  });
});
