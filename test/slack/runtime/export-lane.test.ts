import { describe, expect, it } from 'vitest';
import { ExportLane } from '../../../src/slack/runtime/export-lane.js';

/** A task that runs until its signal aborts, and says why it ended. */
const hang = (signal: AbortSignal) =>
  new Promise<string>((resolve) =>
    signal.addEventListener('abort', () => resolve(String(signal.reason?.name ?? signal.reason))),
  );

describe('ExportLane', () => {
  it('runs one export per team: a second one for the same team is told at once', async () => {
    const lane = new ExportLane(2);
    const first = lane.run('T1', hang, 200);
    expect(await lane.run('T1', async () => 'never', 200)).toEqual({ kind: 'already' });
    expect(await first).toEqual({ kind: 'done', value: 'TimeoutError' });
    // Once it has ended, the team may export again.
    expect(await lane.run('T1', async () => 'again', 200)).toEqual({ kind: 'done', value: 'again' });
  });

  it('runs at most `slots` at once; one that waits past its time gives up without running', async () => {
    const lane = new ExportLane(1);
    let ran = 0;
    const counted = (task: (s: AbortSignal) => Promise<string>) => (s: AbortSignal) => {
      ran += 1;
      return task(s);
    };
    const first = lane.run('T1', counted(hang), 300);
    const waiting = lane.run(
      'T2',
      counted(async () => 'ran'),
      100,
    );
    expect(await waiting).toEqual({ kind: 'late' });
    expect(ran).toBe(1);
    await first;
    // The slot is free again after both.
    expect(await lane.run('T3', async () => 'next', 100)).toEqual({ kind: 'done', value: 'next' });
  });

  it('turns teams away once too many wait', async () => {
    const lane = new ExportLane(1, 1);
    const a = lane.run('T1', hang, 200);
    const b = lane.run('T2', hang, 200);
    expect(await lane.run('T3', hang, 200)).toEqual({ kind: 'full' });
    await Promise.all([a, b]);
  });

  it('stop aborts running exports (not as a timeout), ends waiting ones and refuses new ones', async () => {
    const lane = new ExportLane(1);
    const running = lane.run('T1', hang, 60_000);
    const waiting = lane.run('T2', hang, 60_000);
    const started = Date.now();
    await lane.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await running).toEqual({ kind: 'done', value: 'Error' });
    expect(await waiting).toEqual({ kind: 'stopping' });
    expect(await lane.run('T3', hang, 100)).toEqual({ kind: 'stopping' });
    expect(lane.busy).toBe(false);
  });
});
