export { FileStore, type FileStoreOptions } from './file-store.js';
export { MemoryStore } from './memory-store.js';
export * from './schema.js';
export { assertTeamId, type Store, StoreError, type StoreErrorCode, type TeamCheck } from './store.js';
