import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** How to get the database these tests need; shown instead of skipping. */
export const HOW_TO_START =
  'TEST_DATABASE_URL is not set, and these tests need PostgreSQL. Start one and point the tests at it with\n' +
  '  eval "$(bash scripts/pg-test-db.sh)"\n' +
  '(Debian/Ubuntu as root: installs and starts PostgreSQL, creates the test role and database), or export\n' +
  'TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DB for a database where that role may CREATE SCHEMA.';

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL?.trim();
  if (!url) throw new Error(HOW_TO_START);
  return url;
}

/** A fresh schema of its own (so test files can run in parallel): its URL, and a way to drop it. */
export type TestSchema = { url: string; schema: string; drop(): Promise<void> };

/** Creates an empty schema and returns a URL whose connections use it (libpq's `options=-c search_path=`). */
export async function freshSchema(base = testDatabaseUrl()): Promise<TestSchema> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
