import type { SqliteDatabase } from './sqlite-database';

/**
 * The event side's tables in the shared database file (the read models keep tables of their
 * own). Plain columns, JSON as text, so an analyst can query the file with any SQLite tool:
 * `select type, count(*) from events group by 1`. Idempotent: every opener calls it. A
 * read-only connection (a tool's) creates nothing: its queries fail if the tables are missing.
 */
export function ensureEventTables(db: SqliteDatabase): void {
  if (db.readonly) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      position       INTEGER PRIMARY KEY,
      stream_id      TEXT    NOT NULL,
      stream_type    TEXT    NOT NULL,
      version        INTEGER NOT NULL,
      tenant_id      TEXT    NOT NULL,
      id             TEXT    NOT NULL UNIQUE,
      type           TEXT    NOT NULL,
      schema_version INTEGER NOT NULL,
      occurred_at    TEXT    NOT NULL,
      recorded_at    TEXT    NOT NULL,
      data           TEXT    NOT NULL,
      metadata       TEXT    NOT NULL,
      UNIQUE (stream_id, version)
    );
    CREATE INDEX IF NOT EXISTS events_by_tenant ON events (tenant_id, position);
    CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, position);

    CREATE TABLE IF NOT EXISTS idempotency_records (
      tenant_id    TEXT    NOT NULL,
      key          TEXT    NOT NULL,
      request_hash TEXT    NOT NULL,
      status_code  INTEGER NOT NULL,
      body         TEXT    NOT NULL,
      created_at   TEXT    NOT NULL,
      created_ms   INTEGER NOT NULL,
      PRIMARY KEY (tenant_id, key)
    );
    CREATE INDEX IF NOT EXISTS idempotency_records_by_age ON idempotency_records (created_ms);

    CREATE TABLE IF NOT EXISTS leases (
      name       TEXT    PRIMARY KEY,
      owner      TEXT    NOT NULL,
      expires_ms INTEGER NOT NULL
    );

    CREATE TABLE IF NOT EXISTS relay_checkpoints (
      name     TEXT    PRIMARY KEY,
      position INTEGER NOT NULL
    );

    CREATE TABLE IF NOT EXISTS jsonl_migrations (
      file        TEXT PRIMARY KEY,
      records     INTEGER NOT NULL,
      migrated_at TEXT NOT NULL
    );
  `);
}
