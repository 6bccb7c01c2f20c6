import { DataDirLock } from '../data-dir-lock';
import type { Logger } from '../jsonl-file';
import { ensureEventTables } from './event-tables';
import { migrateJsonlFiles } from './jsonl-migration';
import {
  openSqliteDatabase,
  SQLITE_FILE,
  type OpenSqliteOptions,
  type SqliteDatabase,
} from './sqlite-database';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * The service's handle on DATA_DIR: the database plus the lock that keeps a second service off
 * it (`<DATA_DIR>/billing.sqlite.lock`). Tools that only read, or write tables of their own
 * (an analyst's export, an operator's rebuild), open the file WITHOUT this lock: `openForTool`
 * below. SQLite's own locking keeps them safe beside the running service (WAL: readers never block
 * the writer; writers queue for busy_timeout).
 */
export class EmbeddedDatabase {
  private closed = false;

  private constructor(
    readonly db: SqliteDatabase,
    private readonly lock: DataDirLock,
  ) {}

  /**
   * Takes the DATA_DIR lock (DataDirLockedError if another live service has it), opens the
   * database, creates the event tables and imports a pre-SQLite DATA_DIR on first start.
   */
  static async open(dataDir: string, logger?: Logger): Promise<EmbeddedDatabase> {
    const lock = await DataDirLock.acquire(dataDir, SQLITE_FILE, logger);
    let db: SqliteDatabase | undefined;
    try {
      db = openSqliteDatabase(dataDir);
      ensureEventTables(db);
      const migrated = await migrateJsonlFiles(db, dataDir, logger);
      if (migrated) {
        logger?.(
          `imported ${migrated.events} events, ${migrated.idempotencyRecords} idempotency ` +
            `records and ${migrated.checkpoints} checkpoints from ${migrated.files.join(', ')} ` +
            `(renamed to *.migrated)`,
        );
      }
      return new EmbeddedDatabase(db, lock);
    } catch (err) {
      db?.close();
      await lock.releaseLock();
      throw err;
    }
  }

  /** Throws once the lock is lost or released: writes must stop (the stores call it first). */
  assertHeld(): void {
    this.lock.assertHeld();
  }

  /** Closes the connection (checkpointing the WAL), then releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } finally {
      await this.lock.releaseLock();
    }
  }
}

/** A tool's handle on a DATA_DIR a service may be running on: no lock, so it never keeps the service out. */
export interface ToolDatabase {
  db: SqliteDatabase;
  /** The event store over `db` (with `readonly`, appends fail; reads work beside the service). */
  events: SqliteEventStore;
  close(): Promise<void>;
}

/**
 * Opens DATA_DIR's database for a tool (export, query, stats, rebuild) WITHOUT the service's
 * DATA_DIR lock. `readonly: true` for tools that only read: it needs an existing database
 * (started at least once) and cannot change anything. Does not import a JSON-lines DATA_DIR:
 * only the service's first start does.
 */
export function openForTool(dataDir: string, options: OpenSqliteOptions = {}): ToolDatabase {
  const db = openSqliteDatabase(dataDir, options);
  try {
    const events = new SqliteEventStore(db);
    return {
      db,
      events,
      close: async () => {
        await events.close();
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
