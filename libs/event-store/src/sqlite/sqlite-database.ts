import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The embedded store's one database file under DATA_DIR: events, idempotency, leases, read models. */
export const SQLITE_FILE = 'billing.sqlite';

export type SqliteDatabase = Database.Database;

export const SQLITE_DATABASE = Symbol('SQLITE_DATABASE');

export interface OpenSqliteOptions {
  readonly?: boolean;
}

/**
 * WAL lets readers (the API's GETs, an analyst's `sqlite3` shell) run beside the one writer.
 * synchronous=FULL syncs the WAL at every commit: an acknowledged command survives a power
 * loss, not just a process crash (NORMAL would only survive the latter).
 */
export function openSqliteDatabase(
  dataDir: string,
  options: OpenSqliteOptions = {},
): SqliteDatabase {
  if (!options.readonly) mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, SQLITE_FILE), {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}
