import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { AtomicJsonFile } from './atomic-json-file.js';
import { emptyTeam, migrate, TeamDoc } from './schema.js';
import { KeyedQueue } from './serial.js';
import { assertTeamId, type Store, StoreError, type TeamCheck } from './store.js';

export type FileStoreOptions = {
  /** fsync each write before renaming it into place (default true). */
  durable?: boolean;
};

/** The lowdb store: one JSON file per team under `<dir>/teams/`. */
export class FileStore implements Store {
  private readonly queue = new KeyedQueue();
  private readonly cache = new Map<string, Low<TeamDoc>>();
  private readonly teamsDir: string;
  private closed = false;
  private ready: Promise<unknown> | undefined;

  constructor(
    readonly dir: string,
    private readonly options: FileStoreOptions = {},
  ) {
    this.teamsDir = join(dir, 'teams');
  }

  fileOf(teamId: string): string {
    return join(this.teamsDir, `${teamId}.json`);
  }

  private ensureDir(): Promise<unknown> {
    this.ready ??= mkdir(this.teamsDir, { recursive: true });
    return this.ready;
  }

  /** Loads and validates a team's file; a bad file is reported, never replaced. */
  private async load(teamId: string): Promise<Low<TeamDoc>> {
    const cached = this.cache.get(teamId);
    if (cached) return cached;
    const file = this.fileOf(teamId);
    const adapter = new AtomicJsonFile<unknown>(file, this.options.durable ?? true);
    let raw: unknown;
    try {
      raw = await adapter.read();
    } catch (err) {
      throw new StoreError(
        'corrupt',
        `store file ${file} cannot be read: ${(err as Error).message}; fix or move it aside`,
        file,
      );
    }
    let doc: TeamDoc;
    if (raw === null) doc = emptyTeam(teamId);
    else {
      let migrated: unknown;
      try {
        migrated = migrate(raw);
      } catch (err) {
        throw new StoreError('corrupt', `store file ${file}: ${(err as Error).message}`, file);
      }
      const parsed = TeamDoc.safeParse(migrated);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        const where = first?.path.join('.') || '(root)';
        throw new StoreError(
          'corrupt',
          `store file ${file} fails the schema at ${where}: ${first?.message}; fix or move it aside`,
          file,
        );
      }
      if (parsed.data.teamId !== teamId) {
        throw new StoreError('corrupt', `store file ${file} belongs to team "${parsed.data.teamId}"`, file);
      }
      doc = parsed.data;
    }
    const low = new Low<TeamDoc>(adapter as AtomicJsonFile<TeamDoc>, doc);
    this.cache.set(teamId, low);
    return low;
  }

  async read(teamId: string): Promise<TeamDoc> {
    assertTeamId(teamId);
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    return structuredClone((await this.load(teamId)).data);
  }

  async update<T>(teamId: string, fn: (doc: TeamDoc) => T | Promise<T>): Promise<T> {
    assertTeamId(teamId);
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    return this.queue.run(teamId, async () => {
      await this.ensureDir();
      const low = await this.load(teamId);
      const draft = structuredClone(low.data);
      const result = await fn(draft);
      const checked = TeamDoc.safeParse(draft);
      if (!checked.success) {
        throw new StoreError('write_failed', `refusing to save team ${teamId}: ${checked.error.issues[0]?.message}`);
      }
      const previous = low.data;
      low.data = checked.data;
      try {
        await low.write();
      } catch (err) {
        low.data = previous;
        const file = this.fileOf(teamId);
        throw new StoreError('write_failed', `cannot write ${file}: ${(err as Error).message}`, file);
      }
      return result;
    });
  }

  async teams(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.teamsDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .map((n) => n.slice(0, -'.json'.length))
      .sort();
  }

  async check(): Promise<TeamCheck[]> {
    const out: TeamCheck[] = [];
    for (const teamId of await this.teams()) {
      const file = this.fileOf(teamId);
      this.cache.delete(teamId);
      try {
        await this.load(teamId);
        out.push({ teamId, file, ok: true });
      } catch (err) {
        out.push({ teamId, file, ok: false, error: (err as Error).message });
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.idle();
  }
}
