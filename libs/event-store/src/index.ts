export * from './event-store.port';
export * from './idempotency-store.port';
export { InMemoryEventStore } from './in-memory-event-store';
export { UpcastingEventStore } from './upcasting-event-store';
export type { Clock } from './in-memory-event-store';
export { InMemoryIdempotencyStore } from './in-memory-idempotency-store';
export { DataDirLockedError } from './data-dir-lock';
export type { Logger } from './jsonl-file';
// The contract suites use Jest globals and are not re-exported; specs import them from
// '@app/event-store/event-store.contract' and '@app/event-store/idempotency-store.contract'.
export * from './lease-store.port';
export * from './in-memory-lease-store';
export { MongoEventStore, EVENT_COMMITS_COLLECTION } from './mongo/mongo-event-store';
export type { MongoEventStoreOptions } from './mongo/mongo-event-store';
export {
  MongoIdempotencyStore,
  IDEMPOTENCY_RECORDS_COLLECTION,
} from './mongo/mongo-idempotency-store';
export { MongoLeaseStore, LEASES_COLLECTION } from './mongo/mongo-lease-store';
export type { MongoLeaseStoreOptions } from './mongo/mongo-lease-store';
export { ensureIndexes, isDuplicateKeyError, type NamedIndex } from './mongo/mongo-support';
export {
  openSqliteDatabase,
  SQLITE_DATABASE,
  SQLITE_FILE,
  type SqliteDatabase,
  type OpenSqliteOptions,
} from './sqlite/sqlite-database';
export { ensureEventTables } from './sqlite/event-tables';
export { GroupCommit, groupCommitOf } from './sqlite/group-commit';
export { SqliteEventStore, toStoredEvent } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions, EventRow } from './sqlite/sqlite-event-store';
export { SqliteIdempotencyStore } from './sqlite/sqlite-idempotency-store';
export { SqliteLeaseStore } from './sqlite/sqlite-lease-store';
export { EmbeddedDatabase, openForTool, type ToolDatabase } from './sqlite/embedded-database';
export {
  migrateJsonlFiles,
  EVENT_LOG_FILE,
  IDEMPOTENCY_LOG_FILE,
  MIGRATED_SUFFIX,
  type JsonlMigration,
} from './sqlite/jsonl-migration';
