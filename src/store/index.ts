export { FileStore, type FileStoreOptions } from './file-store.js';
export * from './schema.js';
export { assertTeamId, type Store, StoreError, type StoreErrorCode, type TeamCheck } from './store.js';
