import { join } from 'node:path';
import { FileStore } from './file-store.js';
import { SealedInstallationStore, sealedFiles, TokenCipher } from './installations.js';
import { PgStore } from './pg-store.js';
import type { Store } from './store.js';

/**
 * The store the configuration names: PostgreSQL when a database URL is given
 * (its schema migrated before this resolves), else the JSON files in `dataDir`.
 */
export async function openStore(where: { databaseUrl?: string; dataDir: string }): Promise<Store> {
  if (!where.databaseUrl) return new FileStore(where.dataDir);
  const store = new PgStore(where.databaseUrl);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}

/**
 * Slack installs kept beside the teams, sealed with `tokenKey`: a table in
 * PostgreSQL, or files under the data folder's `installations/`.
 */
export function installationsFor(store: Store, dataDir: string, tokenKey: Buffer): SealedInstallationStore {
  const records =
    store instanceof PgStore
      ? store.sealedRecords()
      : sealedFiles(join(store instanceof FileStore ? store.dir : dataDir, 'installations'));
  return new SealedInstallationStore(records, new TokenCipher(tokenKey));
}
