import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { match } from 'ts-pattern';
import { isPostgresUrl, POSTGRES_URL_HINT } from '../config.js';
import { count } from '../domain/plural.js';
import { canonical, describeDatabase, FileStore, type ImportOutcome, PgStore, type TeamDoc } from '../store/index.js';
import { sealedFiles } from '../store/installations.js';
import { CliError, type Io } from './main.js';

const USAGE = 'usage: mesh-help store migrate --to postgres://USER:PASSWORD@HOST:5432/DATABASE [--replace]';

const counted = (doc: TeamDoc) => ({
  sessions: doc.sessions.length,
  decisions: doc.decisions.length,
  seenEvents: doc.seenEvents.length,
});

/**
 * `mesh-help store migrate --to URL`: copies every team from the JSON folder
 * (MESH_HELP_DATA_DIR) into PostgreSQL, then reads each back through a fresh
 * connection and compares. Running it again changes nothing; a team whose
 * data in PostgreSQL differs (the bot wrote there since) is left alone unless
 * `--replace`.
 */
export async function storeMigrate(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { to: { type: 'string' }, replace: { type: 'boolean', default: false } },
    strict: true,
  });
  if (!values.to) throw new CliError(`store migrate needs --to, the PostgreSQL database to copy into\n${USAGE}`);
  // Named, never echoed: the URL holds a password.
  if (!isPostgresUrl(values.to)) throw new CliError(`--to ${POSTGRES_URL_HINT}`);
  const dataDir = resolve(io.env.MESH_HELP_DATA_DIR || './data');
  const where = describeDatabase(values.to);
  const source = new FileStore(dataDir);
  const report = await source.check();
  const bad = report.filter((r) => !r.ok);
  if (bad.length) {
    for (const r of bad) io.err(`CORRUPT  ${r.teamId}  ${r.ok ? '' : r.error}`);
    throw new CliError(
      `${count(bad.length, 'team file')} in ${dataDir} ${bad.length === 1 ? 'fails' : 'fail'} the schema; fix them (mesh-help store check) and run this again. Nothing was copied.`,
      'failed',
    );
  }
  const target = new PgStore(values.to);
  const outcomes = new Map<string, ImportOutcome>();
  const docs = new Map<string, TeamDoc>();
  // Slack installs (OAuth) move as they are: sealed under the same key, so the bot reads them with MESH_HELP_TOKEN_KEY.
  const installs = sealedFiles(join(dataDir, 'installations'));
  const installKeys = await installs.keys();
  try {
    await target.migrate();
    for (const { teamId } of report) {
      const doc = await source.read(teamId);
      docs.set(teamId, doc);
      outcomes.set(teamId, await target.importTeam(doc, { replace: values.replace }));
    }
    const records = target.sealedRecords();
    for (const key of installKeys) {
      const sealed = await installs.get(key);
      if (sealed !== undefined) await records.put(key, sealed);
    }
  } finally {
    await target.close();
    await source.close();
  }

  // Verified through a new connection pool, so nothing this process remembers stands in for the database.
  const check = new PgStore(values.to);
  let failed = 0;
  try {
    for (const [teamId, doc] of docs) {
      const outcome = outcomes.get(teamId) ?? 'conflict';
      const want = counted(doc);
      const got = await check.counts(teamId);
      const same = canonical(await check.read(teamId)) === canonical(doc);
      const tally = `${count(want.sessions, 'session')}, ${count(want.decisions, 'decision')}, ${count(want.seenEvents, 'event id')}`;
      if (outcome === 'conflict') {
        failed += 1;
        io.out(`DIFFERS  ${teamId}  already in PostgreSQL with other data (the bot wrote there since?); left as it is`);
        continue;
      }
      if (!same || got.sessions !== want.sessions || got.decisions !== want.decisions) {
        failed += 1;
        io.out(
          `MISMATCH ${teamId}  expected ${tally}, PostgreSQL has ${count(got.sessions, 'session')}, ${count(got.decisions, 'decision')}`,
        );
        continue;
      }
      const label = match(outcome)
        .with('created', () => 'copied  ')
        .with('replaced', () => 'replaced')
        .with('unchanged', () => 'same    ')
        .exhaustive();
      io.out(`${label} ${teamId}  ${tally}`);
    }
  } finally {
    await check.close();
  }
  const n = (o: ImportOutcome) => [...outcomes.values()].filter((x) => x === o).length;
  io.out(
    `${count(docs.size, 'team')} from ${dataDir} to ${where}: ${n('created')} copied, ${n('replaced')} replaced, ` +
      `${n('unchanged')} already there, ${failed} with problems.`,
  );
  if (installKeys.length) io.out(`${count(installKeys.length, 'Slack install')} copied, still sealed.`);
  if (n('conflict')) io.out('Teams marked DIFFERS were not touched; --replace overwrites them with the JSON data.');
  else if (!failed) io.out(`Set DATABASE_URL to this database and restart the bot to serve from PostgreSQL.`);
  return failed ? 1 : 0;
}
