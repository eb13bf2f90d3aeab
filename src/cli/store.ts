import { resolve } from 'node:path';
import { isPostgresUrl, POSTGRES_URL_HINT } from '../config.js';
import { describeDatabase, openStore, type Store } from '../store/index.js';
import { CliError } from './main.js';

/** Where the CLI reads and writes teams: PostgreSQL when DATABASE_URL is set, as the bot does, else the JSON folder. */
export function storeLocation(env: NodeJS.ProcessEnv): { databaseUrl?: string; dataDir: string; label: string } {
  const dataDir = resolve(env.MESH_HELP_DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl === undefined) return { dataDir, label: dataDir };
  // The message names the variable, never its value: the URL holds a password.
  if (!isPostgresUrl(databaseUrl)) throw new CliError(`DATABASE_URL ${POSTGRES_URL_HINT}`);
  return { databaseUrl, dataDir, label: `PostgreSQL ${describeDatabase(databaseUrl)}` };
}

export async function openCliStore(env: NodeJS.ProcessEnv): Promise<Store> {
  return openStore(storeLocation(env));
}
