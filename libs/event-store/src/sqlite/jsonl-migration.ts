import { readFile, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataDirLock } from '../data-dir-lock';
import type { StoredEvent } from '../event-store.port';
import type { IdempotencyRecord } from '../idempotency-store.port';
import { Logger, readJsonLines } from '../jsonl-file';
import { ensureEventTables } from './event-tables';
import type { SqliteDatabase } from './sqlite-database';

/** The files of the embedded store before SQLite (one JSON commit per line, one record per line). */
export const EVENT_LOG_FILE = 'events.jsonl';
export const IDEMPOTENCY_LOG_FILE = 'idempotency.jsonl';
const CHECKPOINT_FILE = /^checkpoint-(.+)\.json$/;
export const MIGRATED_SUFFIX = '.migrated';

/** One line of events.jsonl: one append, its events sharing one recordedAt. */
interface Commit {
  commitId: string;
  streamId: string;
  events: StoredEvent[];
}

export interface JsonlMigration {
  events: number;
  idempotencyRecords: number;
  checkpoints: number;
  /** The old files, now renamed with MIGRATED_SUFFIX. */
  files: string[];
}

/**
 * Imports the pre-SQLite files of a DATA_DIR (events.jsonl, idempotency.jsonl,
 * checkpoint-<name>.json) into the database when it has no events yet, keeping positions, ids,
 * versions and recordedAt, in ONE transaction (a crash mid-import leaves nothing half-imported),
 * then renames the files to `*.migrated` (a user's data is never deleted). The import is
 * recorded in `jsonl_migrations` with it, so a crash between the commit and the renames only
 * renames on the next start. Takes the old files' DATA_DIR locks meanwhile: an old version of
 * the service still running on this DATA_DIR makes this throw DataDirLockedError.
 * Returns undefined when there was nothing to import.
 */
export async function migrateJsonlFiles(
  db: SqliteDatabase,
  dataDir: string,
  logger?: Logger,
): Promise<JsonlMigration | undefined> {
  const files = await oldFiles(dataDir);
  if (files.length === 0) return undefined;
  ensureEventTables(db);
  const locks = [
    await DataDirLock.acquire(dataDir, EVENT_LOG_FILE, logger),
    await DataDirLock.acquire(dataDir, IDEMPOTENCY_LOG_FILE, logger),
  ];
  try {
    const done = db.prepare('SELECT count(*) AS n FROM jsonl_migrations').get() as { n: number };
    const hasEvents = db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined;
    let counts = { events: 0, idempotencyRecords: 0, checkpoints: 0 };
    if (done.n === 0 && hasEvents) {
      logger?.(
        `${dataDir} holds ${files.join(', ')} but the database already has events: ` +
          'not importing them (move them away to silence this warning)',
      );
      return undefined;
    }
    if (done.n === 0) counts = await importAll(db, dataDir, files, logger);
    for (const file of files) await renameKeeping(join(dataDir, file));
    return { ...counts, files };
  } finally {
    for (const lock of locks) await lock.releaseLock();
  }
}

async function oldFiles(dataDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter(
      (name) =>
        name === EVENT_LOG_FILE || name === IDEMPOTENCY_LOG_FILE || CHECKPOINT_FILE.test(name),
    )
    .sort();
}

async function importAll(
  db: SqliteDatabase,
  dataDir: string,
  files: string[],
  logger?: Logger,
): Promise<Omit<JsonlMigration, 'files'>> {
  const counts = { events: 0, idempotencyRecords: 0, checkpoints: 0 };
  const insertEvent = db.prepare(
    `INSERT INTO events (position, stream_id, stream_type, version, tenant_id, id, type,
       schema_version, occurred_at, recorded_at, data, metadata)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Later lines win: the old store only wrote a second record for a key once the first expired.
  const upsertRecord = db.prepare(
    `INSERT INTO idempotency_records
       (tenant_id, key, request_hash, status_code, body, created_at, created_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, key) DO UPDATE SET request_hash = excluded.request_hash,
       status_code = excluded.status_code, body = excluded.body,
       created_at = excluded.created_at, created_ms = excluded.created_ms`,
  );
  const upsertCheckpoint = db.prepare(
    `INSERT INTO relay_checkpoints (name, position) VALUES (?, ?)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
  );
  const recordFile = db.prepare(
    'INSERT INTO jsonl_migrations (file, records, migrated_at) VALUES (?, ?, ?)',
  );

  // One transaction held across the file reads: nothing else uses the database before start.
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const file of files) {
      const path = join(dataDir, file);
      let records = 0;
      if (file === EVENT_LOG_FILE) {
        records = await importEvents(path, insertEvent, logger);
        counts.events = records;
      } else if (file === IDEMPOTENCY_LOG_FILE) {
        for await (const line of readJsonLines(path, logger)) {
          const record = line as Partial<IdempotencyRecord>;
          const createdMs = Date.parse(String(record.createdAt));
          if (typeof record.tenantId !== 'string' || typeof record.key !== 'string') continue;
          if (Number.isNaN(createdMs)) continue; // the old store counted it as expired
          upsertRecord.run(
            record.tenantId,
            record.key,
            String(record.requestHash),
            Number(record.statusCode),
            JSON.stringify(record.body ?? null),
            record.createdAt,
            createdMs,
          );
          records += 1;
        }
        counts.idempotencyRecords = records;
      } else {
        const name = CHECKPOINT_FILE.exec(file)![1];
        const { position } = JSON.parse(await readFile(path, 'utf8')) as { position: number };
        if (!Number.isSafeInteger(position)) throw new Error(`${path}: no position`);
        upsertCheckpoint.run(name, position);
        records = 1;
        counts.checkpoints += 1;
      }
      recordFile.run(file, records, new Date().toISOString());
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
  return counts;
}

/** Inserts every event of the log, checking that each continues its stream and the global order. */
async function importEvents(
  path: string,
  insert: { run(...params: unknown[]): unknown },
  logger?: Logger,
): Promise<number> {
  const versions = new Map<string, number>();
  let position = 0;
  let line = 0;
  for await (const record of readJsonLines(path, logger)) {
    line += 1;
    const commit = record as Partial<Commit>;
    if (typeof commit.streamId !== 'string' || !Array.isArray(commit.events)) {
      throw new Error(`${path} line ${line}: not a commit`);
    }
    for (const event of commit.events) {
      const version = (versions.get(commit.streamId) ?? 0) + 1;
      if (
        event.streamId !== commit.streamId ||
        event.version !== version ||
        event.position !== position + 1
      ) {
        throw new Error(
          `${path} line ${line}: event ${event.id} does not continue stream ${commit.streamId} ` +
            `(version ${event.version}, position ${event.position})`,
        );
      }
      insert.run(
        event.position,
        event.streamId,
        event.streamType,
        event.version,
        event.tenantId,
        event.id,
        event.type,
        event.schemaVersion,
        event.occurredAt,
        event.recordedAt,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
      );
      versions.set(commit.streamId, version);
      position = event.position;
    }
  }
  return position;
}

/** Renames `path` to `path.migrated` (or `path.migrated.<n>` if that exists): never overwrites. */
async function renameKeeping(path: string): Promise<void> {
  for (let n = 0; ; n += 1) {
    const target = `${path}${MIGRATED_SUFFIX}${n === 0 ? '' : `.${n}`}`;
    if (!(await exists(target))) {
      await rename(path, target);
      return;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
