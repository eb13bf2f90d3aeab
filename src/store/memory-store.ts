import { emptyTeam, TeamDoc } from './schema.js';
import { KeyedQueue } from './serial.js';
import { assertTeamId, type Store, StoreError, type TeamCheck } from './store.js';

/** A Store in memory, for unit tests of code above the store. */
export class MemoryStore implements Store {
  private readonly docs = new Map<string, TeamDoc>();
  private readonly queue = new KeyedQueue();

  async read(teamId: string): Promise<TeamDoc> {
    assertTeamId(teamId);
    return structuredClone(this.docs.get(teamId) ?? emptyTeam(teamId));
  }

  async update<T>(teamId: string, fn: (doc: TeamDoc) => T | Promise<T>): Promise<T> {
    assertTeamId(teamId);
    return this.queue.run(teamId, async () => {
      const draft = structuredClone(this.docs.get(teamId) ?? emptyTeam(teamId));
      const result = await fn(draft);
      const checked = TeamDoc.safeParse(draft);
      if (!checked.success) throw new StoreError('write_failed', `refusing to save team ${teamId}`);
      this.docs.set(teamId, checked.data);
      return result;
    });
  }

  async teams(): Promise<string[]> {
    return [...this.docs.keys()].sort();
  }

  async check(): Promise<TeamCheck[]> {
    return [...this.docs.keys()].map((teamId) => ({ teamId, file: `memory:${teamId}`, ok: true as const }));
  }

  async close(): Promise<void> {
    await this.queue.idle();
  }
}
