import type { TeamDoc } from './schema.js';
import type { Scope } from './store.js';

/** An update waiting in a store's queue for its team's next write. */
export type Pending = {
  fn: (doc: TeamDoc) => unknown;
  /** The records the update reads and changes, when it names them (see `Store.update`). */
  scope?: Scope | undefined;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
};

/**
 * Per-team queues of updates, drained one batch at a time: whatever queued
 * while a batch was being written becomes the next batch, saved together in
 * one write. Both stores use it; `drain` applies and saves a batch and
 * settles every update in it.
 */
export class TeamBatches {
  private readonly queues = new Map<string, Pending[]>();
  private readonly draining = new Map<string, Promise<void>>();

  constructor(private readonly drain: (teamId: string, batch: Pending[]) => Promise<void>) {}

  /** Queues an update for the team; resolves with what `fn` returned once it is saved. */
  push<T>(teamId: string, fn: (doc: TeamDoc) => T | Promise<T>, scope?: Scope): Promise<T> {
    const result = new Promise<T>((resolve, reject) => {
      const queue = this.queues.get(teamId) ?? [];
      queue.push({ fn, scope, resolve: resolve as (v: unknown) => void, reject });
      this.queues.set(teamId, queue);
    });
    if (!this.draining.has(teamId)) this.draining.set(teamId, this.run(teamId));
    return result;
  }

  /** Resolves once no team has a batch queued or being written (batches queued meanwhile too). */
  async idle(): Promise<void> {
    while (this.draining.size > 0) await Promise.allSettled([...this.draining.values()]);
  }

  /** Whether updates of the team wait for its next batch (the one after the batch being written). */
  queued(teamId: string): boolean {
    return (this.queues.get(teamId)?.length ?? 0) > 0;
  }

  /** The batches being written now. */
  running(): Promise<void>[] {
    return [...this.draining.values()];
  }

  private async run(teamId: string): Promise<void> {
    for (;;) {
      const batch = this.queues.get(teamId) ?? [];
      this.queues.delete(teamId);
      if (batch.length === 0) {
        // Dropped here, not in a later callback: an update queued by a caller resuming now must start a new run.
        this.draining.delete(teamId);
        return;
      }
      try {
        await this.drain(teamId, batch);
      } catch (err) {
        // A drain settles its batch; should one throw anyway, nobody is left waiting.
        for (const p of batch) p.reject(err);
      }
    }
  }
}
