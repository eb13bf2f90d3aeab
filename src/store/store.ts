import { CodedError } from '../errors.js';
import type { TeamDoc } from './schema.js';

/**
 * `locked`: another process held the team's lock too long; `vanished`: a team
 * file this process had read is gone (moved aside), and is not recreated from memory;
 * `unavailable`: the database cannot be reached.
 */
export type StoreErrorCode = 'corrupt' | 'bad_team' | 'write_failed' | 'closed' | 'locked' | 'vanished' | 'unavailable';

/** A store failure with a code callers can match on; the message names the file. */
export class StoreError extends CodedError<'store'> {
  readonly family = 'store';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export type TeamCheck =
  | { teamId: string; file: string; ok: true }
  | { teamId: string; file: string; ok: false; error: string };

/**
 * The records an update reads and changes: one session (and the record it
 * became), or one record. A scoped update sees a document holding only those
 * (and the team's own fields), so its cost does not grow with the team; it
 * may change them and add records, never remove or reorder.
 */
export type Scope = { session?: string | undefined; decision?: number | undefined };

/**
 * Where teams' documents live. Small on purpose so another backend
 * (PostgreSQL, for several replicas) can replace the file store.
 */
export interface Store {
  /** The team's document, frozen (change it only through `update`); a fresh empty one for a new team. */
  read(teamId: string): Promise<TeamDoc>;
  /**
   * Serialised read-modify-write for one team: `fn` changes a draft of the
   * document; what changed is validated and saved atomically when `fn` returns,
   * and discarded when it throws. The value `fn` returns is a plain copy that
   * outlives the draft. Resolves once the change is on disk. With a `scope`,
   * `fn` sees only the records it names (see `Scope`).
   */
  update<T>(teamId: string, fn: (doc: TeamDoc) => T | Promise<T>, scope?: Scope): Promise<T>;
  /** Team ids with a stored document. */
  teams(): Promise<string[]>;
  /** Validates every stored document without changing any. */
  check(): Promise<TeamCheck[]>;
  /** Resolves when the backend can serve requests; rejects with the reason otherwise. */
  ping(): Promise<void>;
  /** Waits for in-flight writes; later calls fail. */
  close(): Promise<void>;
}

const TEAM_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function assertTeamId(teamId: string): void {
  if (!TEAM_ID.test(teamId)) {
    throw new StoreError('bad_team', `invalid team id "${teamId.slice(0, 80)}" (letters, digits, - and _ only)`);
  }
}
