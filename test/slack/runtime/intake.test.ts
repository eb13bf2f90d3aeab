import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, Logger, ReceiverEvent } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { journalIntake, noteStoreFailure, RefusedBeforeAck } from '../../../src/slack/runtime/intake.js';
import { WorkLimiter } from '../../../src/slack/runtime/work.js';
import { StoreHealth } from '../../../src/store/health.js';
import { FileJournal } from '../../../src/store/journal.js';
import { StoreError } from '../../../src/store/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => 'error' as never,
  setName: () => undefined,
};
const event = (id: string): ReceiverEvent => ({
  body: { type: 'event_callback', event_id: id, team_id: 'T1' },
  ack: async () => undefined,
});
const until = async (pred: () => boolean | Promise<boolean>, what: string) => {
  for (const start = Date.now(); !(await pred()); ) {
    if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('journalIntake and a store that fails after the ack', () => {
  it('keeps the entry pending, refuses new requests while the store is down, and finishes it once the store answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-intake-unit-'));
    dirs.push(dir);
    let storeUp = true;
    const attempts: string[] = [];
    // A listener that catches the store's failure (and would tell the person): the intake must still see it.
    const app = {
      processEvent: async (e: ReceiverEvent) => {
        attempts.push(String(e.body.event_id));
        if (!storeUp) noteStoreFailure(new StoreError('unavailable', 'the database went away'));
      },
    } as unknown as App;
    const health = new StoreHealth(async () => {
      if (!storeUp) throw new Error('no database');
    });
    const journal = new FileJournal(dir, { durable: false });
    const intake = journalIntake(app, journal, quiet, { health });
    await intake.replay();

    storeUp = false;
    // Its processing (retries included) goes on after the ack, so the test does not wait for it here.
    const first = app.processEvent(event('Ev1'));
    await until(() => !health.up, 'the store known down');
    expect((await new FileJournal(dir).pending()).map((e) => e.body.event_id)).toEqual(['Ev1']);
    await expect(app.processEvent(event('Ev2'))).rejects.toBeInstanceOf(RefusedBeforeAck);
    expect(attempts).toEqual(['Ev1']);

    storeUp = true;
    await until(() => attempts.length >= 2, 'the retry');
    await until(async () => (await new FileJournal(dir).pending()).length === 0, 'the entry marked done');
    await first;
    expect(attempts).toEqual(['Ev1', 'Ev1']);
    expect(health.up).toBe(true);
    intake.stop();
    health.stop();
    await journal.close();
  });

  it('gives a request up when its own write fails on a store that answers (bad data, not an outage)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-intake-unit-'));
    dirs.push(dir);
    let calls = 0;
    const app = {
      processEvent: async () => {
        calls += 1;
        noteStoreFailure(new StoreError('write_failed', 'refusing to save team T1: bad field'));
      },
    } as unknown as App;
    const health = new StoreHealth(async () => undefined);
    const journal = new FileJournal(dir, { durable: false });
    const intake = journalIntake(app, journal, quiet, { health });
    await intake.replay();
    await app.processEvent(event('Ev1'));
    expect(calls).toBe(1);
    expect(await new FileJournal(dir).pending()).toEqual([]);
    intake.stop();
    health.stop();
    await journal.close();
  });
});

describe('journalIntake and the ack of a request whose ack is empty', () => {
  it('acknowledges such a request once it is journalled, before its listener runs; others by their listener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-intake-unit-'));
    dirs.push(dir);
    const order: string[] = [];
    let finish: () => void = () => undefined;
    const app = {
      processEvent: async (e: ReceiverEvent) => {
        order.push(`listener ${String(e.body.type ?? e.body.command)}`);
        await e.ack();
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
    } as unknown as App;
    const journal = new FileJournal(dir, { durable: false });
    const intake = journalIntake(app, journal, quiet, { acksEmpty: (body) => body.type === 'block_actions' });
    await intake.replay();
    const acks: string[] = [];
    const click = app.processEvent({
      body: { type: 'block_actions', team: { id: 'T1' }, actions: [{ action_id: 'a' }] },
      ack: async () => {
        acks.push('click');
        // Journalled before the ack: a crash from here on replays it.
        expect((await new FileJournal(dir).pending()).map((x) => x.body.type)).toEqual(['block_actions']);
        order.push('ack click');
      },
    });
    await until(() => order.includes('listener block_actions'), 'the click listener');
    // The listener's own ack does nothing: the request was acknowledged once, first.
    expect(order).toEqual(['ack click', 'listener block_actions']);
    expect(acks).toEqual(['click']);
    finish();
    await click;

    const command = app.processEvent({
      body: { command: '/mesh-help', team_id: 'T1', text: 'help' },
      ack: async () => {
        order.push('ack command');
      },
    });
    await until(() => order.includes('ack command'), 'the command ack');
    expect(order.slice(2)).toEqual(['listener /mesh-help', 'ack command']);
    finish();
    await command;
    intake.stop();
    await journal.close();
  });
});

describe('journalIntake and the processing slots of requests acknowledged early', () => {
  it('acknowledges a burst at once and lets its listeners in a slot at a time, each request waiting with its body only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-intake-unit-'));
    dirs.push(dir);
    const started: string[] = [];
    const finishers: Array<() => void> = [];
    const app = {
      processEvent: async (e: ReceiverEvent) => {
        started.push(String(e.body.trigger_id));
        await new Promise<void>((resolve) => finishers.push(resolve));
      },
    } as unknown as App;
    const journal = new FileJournal(dir, { durable: false });
    const intake = journalIntake(app, journal, quiet, {
      acksEmpty: (body) => body.type === 'block_actions',
      processing: new WorkLimiter(1),
    });
    await intake.replay();
    const acked: string[] = [];
    const click = (id: string) =>
      app.processEvent({
        body: { type: 'block_actions', team: { id: 'T1' }, trigger_id: id },
        ack: async () => {
          acked.push(id);
        },
      });
    await Promise.all([click('one'), click('two'), click('three')]);
    expect(acked).toEqual(['one', 'two', 'three']);
    await until(() => started.length === 1, 'the first listener');
    await new Promise((r) => setTimeout(r, 30));
    expect(started).toEqual(['one']);
    finishers.shift()?.();
    await until(() => started.length === 2, 'the second listener');
    expect(started).toEqual(['one', 'two']);
    finishers.shift()?.();
    await until(() => started.length === 3, 'the third listener');
    finishers.shift()?.();
    await intake.idle();
    expect(await new FileJournal(dir).pending()).toEqual([]);
    intake.stop();
    await journal.close();
  });
});
