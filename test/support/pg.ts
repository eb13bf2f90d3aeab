import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * The database these tests use: TEST_DATABASE_URL when set, else the PostgreSQL the global setup started from npm
 * (test/support/postgres.ts). Outside vitest (the benchmarks) pass a URL to freshSchema instead.
 */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL?.trim() || inject('testDatabaseUrl');
  if (!url) throw new Error('No test database: TEST_DATABASE_URL is unset and the global setup provided none.');
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
