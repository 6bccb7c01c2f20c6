import { IdempotencyIndex } from '../idempotency-index';
import {
  DEFAULT_IDEMPOTENCY_TTL_MS,
  IdempotencyRecord,
  IdempotencyStore,
  IdempotencyStoreOptions,
  NewIdempotencyRecord,
} from '../idempotency-store.port';
import { ensureEventTables } from './event-tables';
import { GroupCommit, groupCommitOf } from './group-commit';
import type { SqliteDatabase } from './sqlite-database';

interface IdempotencyRow {
  tenant_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  body: string;
  created_at: string;
  created_ms: number;
}

/**
 * Idempotency records in the `idempotency_records` table. Puts share the event store's group
 * commit (a command's record and its events usually land in the same sync). First write wins
 * while a record is live; an expired one is replaced. Expired records are deleted on open.
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  /** TTL rules and record normalisation, shared with the in-memory adapter (its map stays empty). */
  private readonly rules: IdempotencyIndex;
  private readonly commits: GroupCommit;
  private readonly ttlMs: number;
  private readonly clock: () => Date;
  private closed = false;
  private readonly sql;

  constructor(db: SqliteDatabase, options: IdempotencyStoreOptions = {}) {
    ensureEventTables(db);
    this.rules = new IdempotencyIndex(options);
    this.commits = groupCommitOf(db);
    this.ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    this.clock = options.clock ?? (() => new Date());
    this.sql = {
      get: db.prepare<[string, string], IdempotencyRow>(
        'SELECT * FROM idempotency_records WHERE tenant_id = ? AND key = ?',
      ),
      upsert: db.prepare<[string, string, string, number, string, string, number]>(
        `INSERT INTO idempotency_records
           (tenant_id, key, request_hash, status_code, body, created_at, created_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, key) DO UPDATE SET request_hash = excluded.request_hash,
           status_code = excluded.status_code, body = excluded.body,
           created_at = excluded.created_at, created_ms = excluded.created_ms`,
      ),
      deleteExpired: db.prepare<[number]>('DELETE FROM idempotency_records WHERE created_ms <= ?'),
    };
    this.sql.deleteExpired.run(this.clock().getTime() - this.ttlMs);
  }

  async get(tenantId: string, key: string): Promise<IdempotencyRecord | null> {
    if (this.closed) throw closedError();
    return this.live(tenantId, key);
  }

  put(input: NewIdempotencyRecord): Promise<IdempotencyRecord> {
    if (this.closed) return Promise.reject(closedError());
    let record: IdempotencyRecord;
    let body: string;
    try {
      record = this.rules.create(input);
      body = JSON.stringify(record.body);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.commits.run(() => {
      const existing = this.live(record.tenantId, record.key);
      if (existing) return existing;
      this.sql.upsert.run(
        record.tenantId,
        record.key,
        record.requestHash,
        record.statusCode,
        body,
        record.createdAt,
        Date.parse(record.createdAt),
      );
      return record;
    }, body.length);
  }

  /** Waits for puts in flight; the connection stays open for its owner to close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commits.drain();
  }

  private live(tenantId: string, key: string): IdempotencyRecord | null {
    const row = this.sql.get.get(tenantId, key);
    if (!row) return null;
    const record: IdempotencyRecord = {
      tenantId: row.tenant_id,
      key: row.key,
      requestHash: row.request_hash,
      statusCode: row.status_code,
      body: JSON.parse(row.body) as unknown,
      createdAt: row.created_at,
    };
    return this.rules.isExpired(record) ? null : record;
  }
}

function closedError(): Error {
  return new Error('SqliteIdempotencyStore is closed');
}
