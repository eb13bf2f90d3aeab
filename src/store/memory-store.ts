import { adopt, applyUpdate } from './docs.js';
import { emptyTeam, type TeamDoc } from './schema.js';
import { KeyedQueue } from './serial.js';
import { assertTeamId, type Store, type TeamCheck } from './store.js';

/** A Store in memory with the same semantics as the file store, for tests of code above the store. */
export class MemoryStore implements Store {
  private readonly docs = new Map<string, TeamDoc>();
  private readonly queue = new KeyedQueue();

  async read(teamId: string): Promise<TeamDoc> {
    assertTeamId(teamId);
    return this.docs.get(teamId) ?? adopt(emptyTeam(teamId));
  }

  async update<T>(teamId: string, fn: (doc: TeamDoc) => T | Promise<T>): Promise<T> {
    assertTeamId(teamId);
    return this.queue.run(teamId, async () => {
      const { next, result } = await applyUpdate(teamId, await this.read(teamId), fn);
      this.docs.set(teamId, next);
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
