import { describe, expect, it } from 'vitest';
import { emptyTeam } from '../../src/store/schema.js';
import { type Pending, TeamBatches } from '../../src/store/team-batches.js';

/** A drain that records its batches and settles each update with what its function returned on an empty team. */
function recorder(gate?: Promise<void>) {
  const batches: number[] = [];
  const queue = new TeamBatches(async (teamId: string, batch: Pending[]) => {
    batches.push(batch.length);
    await gate;
    for (const p of batch) p.resolve(p.fn(emptyTeam(teamId)));
  });
  return { queue, batches };
}

describe('TeamBatches', () => {
  it('writes what queued during a batch as the next batch, together', async () => {
    let open: () => void = () => undefined;
    const { queue, batches } = recorder(new Promise<void>((r) => (open = r)));
    const first = queue.push('T1', () => 1);
    const later = [queue.push('T1', () => 2), queue.push('T1', () => 3)];
    open();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(batches).toEqual([1, 2]);
    await queue.idle();
    expect(queue.running()).toEqual([]);
  });

  it('saves an update a caller queues just as the previous batch finishes (no update is stranded)', async () => {
    // Whichever turn of the event loop the caller resumes in, its next update is written.
    for (let hops = 0; hops < 8; hops++) {
      const { queue, batches } = recorder();
      const chained = queue
        .push('T1', () => 'a')
        .then(async () => {
          for (let i = 0; i < hops; i++) await null;
          return queue.push('T1', () => 'b');
        });
      const stranded = new Promise((resolve) => setTimeout(() => resolve('stranded'), 200));
      expect(await Promise.race([chained, stranded]), `${hops} hops`).toBe('b');
      expect(batches).toEqual([1, 1]);
    }
  });

  it('rejects the batch when a drain throws, and keeps serving the team', async () => {
    let fail = true;
    const queue = new TeamBatches(async (_teamId, batch) => {
      if (fail) throw new Error('disk gone');
      for (const p of batch) p.resolve('ok');
    });
    await expect(queue.push('T1', () => 'x')).rejects.toThrow('disk gone');
    fail = false;
    expect(await queue.push('T1', () => 'x')).toBe('ok');
  });
});
