import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { AtomicJsonFile } from './atomic-json-file.js';
import { adopt, applyUpdate, serialise } from './docs.js';
import { emptyTeam, migrate, TeamDoc } from './schema.js';
import { assertTeamId, type Store, StoreError, type TeamCheck } from './store.js';

export type FileStoreOptions = {
  /** fsync each write before renaming it into place (default true). */
  durable?: boolean;
};

type Pending = {
  fn: (doc: TeamDoc) => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
};

/**
 * The lowdb store: one JSON file per team under `<dir>/teams/`.
 *
 * Updates to one team run one after another; those that queue up while a
 * write is in flight are applied in order and saved by a single write (group
 * commit), and each resolves only once that write is on disk.
 */
export class FileStore implements Store {
  private readonly cache = new Map<string, Low<TeamDoc>>();
  private readonly queues = new Map<string, Pending[]>();
  private readonly flushing = new Map<string, Promise<void>>();
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

  /** Creates the teams folder once; a failure is reported as a failed write and tried again next time. */
  private ensureDir(): Promise<unknown> {
    this.ready ??= mkdir(this.teamsDir, { recursive: true }).catch((err: Error) => {
      this.ready = undefined;
      throw new StoreError('write_failed', `cannot create ${this.teamsDir}: ${err.message}`, this.teamsDir);
    });
    return this.ready;
  }

  /** Loads and validates a team's file; a bad file is reported, never replaced. */
  private async load(teamId: string): Promise<Low<TeamDoc>> {
    const cached = this.cache.get(teamId);
    if (cached) return cached;
    const file = this.fileOf(teamId);
    const adapter = new AtomicJsonFile<TeamDoc>(file, this.options.durable ?? true, serialise);
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
    const low = new Low<TeamDoc>(adapter, adopt(doc));
    this.cache.set(teamId, low);
    return low;
  }

  /** The team's document as stored; frozen, so a caller cannot change it by accident. */
  async read(teamId: string): Promise<TeamDoc> {
    assertTeamId(teamId);
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    return (await this.load(teamId)).data;
  }

  async update<T>(teamId: string, fn: (doc: TeamDoc) => T | Promise<T>): Promise<T> {
    assertTeamId(teamId);
    if (this.closed) throw new StoreError('closed', 'the store is closed');
    const result = new Promise<T>((resolve, reject) => {
      const queue = this.queues.get(teamId) ?? [];
      queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.queues.set(teamId, queue);
    });
    if (!this.flushing.has(teamId)) {
      const run = this.flush(teamId).finally(() => this.flushing.delete(teamId));
      this.flushing.set(teamId, run);
    }
    return result;
  }

  /** Drains a team's queue: applies what is waiting in order, writes once, then settles each caller. */
  private async flush(teamId: string): Promise<void> {
    for (;;) {
      const batch = this.queues.get(teamId) ?? [];
      this.queues.delete(teamId);
      if (batch.length === 0) return;
      let low: Low<TeamDoc>;
      try {
        await this.ensureDir();
        low = await this.load(teamId);
      } catch (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      const base = low.data;
      let state = base;
      const done: Array<() => void> = [];
      const applied: Array<{ p: Pending; value: unknown }> = [];
      for (const p of batch) {
        try {
          const { next, result } = await applyUpdate(teamId, state, p.fn);
          state = next;
          applied.push({ p, value: result });
        } catch (err) {
          done.push(() => p.reject(err));
        }
      }
      if (state !== base) {
        low.data = state;
        try {
          await low.write();
        } catch (err) {
          low.data = base;
          const file = this.fileOf(teamId);
          const failure = new StoreError('write_failed', `cannot write ${file}: ${(err as Error).message}`, file);
          for (const a of applied) done.push(() => a.p.reject(failure));
          applied.length = 0;
        }
      }
      for (const a of applied) a.p.resolve(a.value);
      for (const settle of done) settle();
    }
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
      if (!this.flushing.has(teamId)) this.cache.delete(teamId);
      try {
        await this.load(teamId);
        out.push({ teamId, file, ok: true });
      } catch (err) {
        out.push({ teamId, file, ok: false, error: (err as Error).message });
      }
    }
    return out;
  }

  /** Resolves when the backend can serve requests; rejects with the reason otherwise. */
  async ping(): Promise<void> {
    if (this.closed) throw new StoreError('closed', 'the store is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing.size > 0) await Promise.all([...this.flushing.values()]);
  }
}
