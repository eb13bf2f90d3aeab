export { decisionByNumber, sessionById, sessionOfThread, withRecords } from './docs.js';
export { FileStore, type FileStoreOptions } from './file-store.js';
export { openStore } from './open.js';
export { canonical, describeDatabase, type ImportOutcome, PgStore, type PgStoreOptions } from './pg-store.js';
export * from './schema.js';
export { assertTeamId, type Scope, type Store, StoreError, type StoreErrorCode, type TeamCheck } from './store.js';
