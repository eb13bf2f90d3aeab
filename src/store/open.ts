import { FileStore } from './file-store.js';
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
