import type { PoolClient } from 'pg';

/** One step of the database layout; applied once, in order, recorded in mesh_help_migrations. */
export type PgMigration = { version: number; name: string; sql: string };

/**
 * The layout, oldest first; never edit a step that has shipped, add one.
 * A team is one `teams` row (its lock, revision and small fields) plus one row
 * per session, decision and remembered event, so a change writes only the rows
 * it touched. `rev` on a row is the team revision that last wrote it, which lets
 * a replica fetch only what changed since the copy it holds. Bodies are `json`,
 * not `jsonb`: stored as given, and jsonb refuses the \u0000 a person's text may hold.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'teams, sessions, decisions, seen events',
    sql: `
      CREATE TABLE teams (
        team_id text PRIMARY KEY,
        rev bigint NOT NULL,
        schema_version integer NOT NULL,
        next_decision_number integer NOT NULL,
        config json NOT NULL,
        extra json NOT NULL DEFAULT '{}',
        n_sessions integer NOT NULL DEFAULT 0,
        n_decisions integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE sessions (
        team_id text NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE,
        id text NOT NULL,
        pos integer NOT NULL,
        rev bigint NOT NULL,
        body json NOT NULL,
        PRIMARY KEY (team_id, id)
      );
      CREATE INDEX sessions_changed ON sessions (team_id, rev);
      CREATE TABLE decisions (
        team_id text NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE,
        number integer NOT NULL,
        pos integer NOT NULL,
        rev bigint NOT NULL,
        body json NOT NULL,
        PRIMARY KEY (team_id, number)
      );
      CREATE INDEX decisions_changed ON decisions (team_id, rev);
      CREATE TABLE seen_events (
        team_id text NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE,
        event_id text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (team_id, event_id)
      );
    `,
  },
  {
    version: 2,
    name: 'slack installations',
    sql: `
      CREATE TABLE slack_installations (
        key text PRIMARY KEY,
        sealed text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 3,
    name: 'intake journal',
    sql: `
      CREATE TABLE intake_owners (
        owner text PRIMARY KEY,
        seen_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE intake_journal (
        id text PRIMARY KEY,
        owner text NOT NULL,
        at timestamptz NOT NULL,
        body json NOT NULL,
        retry_num integer,
        retry_reason text
      );
      CREATE INDEX intake_journal_owner ON intake_journal (owner);
    `,
  },
];

/** Any 64-bit number works; this one is mesh-help's, so replicas starting together migrate one at a time. */
const MIGRATION_LOCK = 7_236_512_981;

/**
 * Brings the database to the newest layout, in one transaction under an
 * advisory lock; refuses a database migrated by a newer mesh-help.
 */
export async function runMigrations(client: PoolClient, migrations = PG_MIGRATIONS): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS mesh_help_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM mesh_help_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const newest = migrations.at(-1)?.version ?? 0;
    const ahead = [...applied].filter((v) => v > newest);
    if (ahead.length) {
      throw new Error(
        `the database has schema migration ${Math.max(...ahead)}, newer than this mesh-help knows (${newest}); run the newer version`,
      );
    }
    const ran: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO mesh_help_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      ran.push(m.version);
    }
    await client.query('COMMIT');
    return ran;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
