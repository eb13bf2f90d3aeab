import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { type Journal, type JournalEntry, JournalError, type JournalInput } from './journal.js';
import { loadPg } from './pg-store.js';

export type PgJournalOptions = {
  /** How long a replica may go unseen before the requests it holds are taken over by another (default 15 s). */
  leaseMs?: number;
};

/** How often a replica says it is alive, as a share of the lease. */
const BEATS_PER_LEASE = 5;

type Row = {
  id: string;
  at: Date | string;
  body: Record<string, unknown>;
  retry_num: number | null;
  retry_reason: string | null;
};

const entryOf = (r: Row): JournalEntry => ({
  id: r.id,
  at: r.at instanceof Date ? r.at.toISOString() : String(r.at),
  body: r.body,
  ...(r.retry_num !== null ? { retryNum: r.retry_num } : {}),
  ...(r.retry_reason !== null ? { retryReason: r.retry_reason } : {}),
});

/**
 * The intake journal in PostgreSQL, beside the teams, so that any replica can
 * finish what another took in: a row per request (inserted before the ack,
 * deleted when done), owned by the replica that took it in. Each replica
 * renews its lease (`intake_owners.seen_at`, the database's clock); the rows
 * of a replica unseen for a lease are adopted by the next replica that looks,
 * one adopter per row (`FOR UPDATE SKIP LOCKED`). Needs migration 3.
 */
export class PgJournal implements Journal {
  readonly owner = randomUUID();
  private readonly pool: pg.Pool;
  private readonly leaseMs: number;
  private beat: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(connectionString: string, options: PgJournalOptions = {}) {
    this.leaseMs = options.leaseMs ?? 15_000;
    this.pool = new (loadPg().Pool)({ connectionString, application_name: 'mesh-help journal', max: 4 });
    // A dropped connection fails the next query (and that request is refused); it must not end the process.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  private fail(err: unknown): JournalError {
    if (err instanceof JournalError) return err;
    return new JournalError('failed', `cannot write the intake journal in PostgreSQL: ${(err as Error).message}`);
  }

  /** Renews this replica's lease; the first call starts renewing it in the background. */
  private alive(): Promise<void> {
    if (!this.timer && !this.closed) {
      this.timer = setInterval(
        () => {
          this.beat = undefined;
          void this.alive().catch(() => undefined);
        },
        Math.max(100, Math.floor(this.leaseMs / BEATS_PER_LEASE)),
      );
      this.timer.unref();
    }
    this.beat ??= this.pool
      .query(
        `INSERT INTO intake_owners (owner, seen_at) VALUES ($1, now())
         ON CONFLICT (owner) DO UPDATE SET seen_at = now()`,
        [this.owner],
      )
      .then(
        () => undefined,
        (err: unknown) => {
          this.beat = undefined;
          throw err;
        },
      );
    return this.beat;
  }

  async append(input: JournalInput): Promise<JournalEntry> {
    if (this.closed) throw new JournalError('closed', 'the intake journal is closed');
    const entry: JournalEntry = { id: randomUUID(), at: new Date().toISOString(), ...input };
    try {
      // Own it under a live lease first, or another replica could adopt it at once.
      await this.alive();
      await this.pool.query(
        'INSERT INTO intake_journal (id, owner, at, body, retry_num, retry_reason) VALUES ($1, $2, $3, $4, $5, $6)',
        [entry.id, this.owner, entry.at, JSON.stringify(entry.body), entry.retryNum ?? null, entry.retryReason ?? null],
      );
    } catch (err) {
      throw this.fail(err);
    }
    return entry;
  }

  async markDone(id: string): Promise<void> {
    try {
      await this.pool.query('DELETE FROM intake_journal WHERE id = $1', [id]);
    } catch (err) {
      throw this.fail(err);
    }
  }

  /** At start-up: whatever replicas that are gone left unfinished (this process's own rows are new). */
  pending(): Promise<JournalEntry[]> {
    return this.adopt();
  }

  /**
   * Takes over the unfinished requests of replicas whose lease ran out (killed, deleted, stopped), oldest
   * first; each row goes to one replica only. Call it from time to time: a replica may be gone for good.
   */
  async adopt(): Promise<JournalEntry[]> {
    if (this.closed) return [];
    try {
      await this.alive();
      const { rows } = await this.pool.query<Row>(
        `UPDATE intake_journal SET owner = $1
         WHERE id IN (
           SELECT j.id FROM intake_journal j
           LEFT JOIN intake_owners o ON o.owner = j.owner
           WHERE j.owner <> $1 AND (o.owner IS NULL OR o.seen_at < now() - make_interval(secs => $2))
           FOR UPDATE OF j SKIP LOCKED
         )
         RETURNING id, at, body, retry_num, retry_reason`,
        [this.owner, this.leaseMs / 1000],
      );
      return rows.map(entryOf).sort((a, b) => a.at.localeCompare(b.at));
    } catch (err) {
      throw this.fail(err);
    }
  }

  /** Stops renewing the lease and gives it up, so what this replica could not finish is adopted at once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.beat?.catch(() => undefined);
    await this.pool.query('DELETE FROM intake_owners WHERE owner = $1', [this.owner]).catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
