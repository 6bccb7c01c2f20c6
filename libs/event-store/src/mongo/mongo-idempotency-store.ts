import { Collection, Db } from 'mongodb';
import { IdempotencyIndex } from '../idempotency-index';
import {
  DEFAULT_IDEMPOTENCY_TTL_MS,
  IdempotencyRecord,
  IdempotencyStore,
  IdempotencyStoreOptions,
  NewIdempotencyRecord,
} from '../idempotency-store.port';
import { ensureIndexes, isDuplicateKeyError, isNotImplementedError } from './mongo-support';

export const IDEMPOTENCY_RECORDS_COLLECTION = 'idempotency_records';

interface IdempotencyDocument {
  /** tenantId + '\u0000' + key */
  _id: string;
  tenantId: string;
  key: string;
  requestHash: string;
  statusCode: number;
  /** The response body as JSON text: any JSON survives, whatever its keys ('.', '$', ...). */
  body: string;
  createdAt: string;
  createdAtMs: number;
  /** createdAt + ttlMs, for the TTL index (MongoDB) and purgeExpired. */
  expiresAt: Date;
}

const MAX_PUT_ATTEMPTS = 10;

/**
 * Idempotency records in `idempotency_records`, one document per (tenantId, key) with
 * `_id = tenantId + '\u0000' + key` (a primary-key lookup, the one query FerretDB serves from
 * an index).
 *
 * First write wins: `put` inserts; on a duplicate key it reads the stored record back and
 * returns it. Expiry: a record older than ttlMs counts as absent. `get` ignores it and `put`
 * replaces it by deleting exactly that record (filter on its createdAt and requestHash) and
 * inserting again, so of concurrent puts after expiry one insert wins and the others read it.
 *
 * TTL index: created on `expiresAt` where the server supports it (MongoDB). FerretDB 1.x rejects
 * `expireAfterSeconds` (NotImplemented, code 238). There the store works without the index
 * (`ttlIndex` is false) and expired records stay until replaced or until `purgeExpired()`
 * removes them. Call that from a periodic job on such servers.
 *
 * FerretDB caveat: its filtered delete is "match in Go, then delete by _id", not atomic. If two
 * puts replace the same expired record at the same instant, one of them can, in a window of
 * microseconds, delete the other's fresh record, and both return their own record. On MongoDB
 * the filtered delete is atomic and this cannot happen.
 */
export class MongoIdempotencyStore implements IdempotencyStore {
  private closed = false;

  private constructor(
    private readonly records: Collection<IdempotencyDocument>,
    private readonly rules: IdempotencyIndex,
    private readonly ttlMs: number,
    private readonly clock: () => Date,
    /** Whether the server keeps a TTL index on expiresAt (false on FerretDB 1.x). */
    readonly ttlIndex: boolean,
  ) {}

  static async open(db: Db, options: IdempotencyStoreOptions = {}): Promise<MongoIdempotencyStore> {
    const ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    if (!(Number.isFinite(ttlMs) && ttlMs > 0)) {
      throw new Error(`ttlMs must be a positive number, got ${ttlMs}`);
    }
    const clock = options.clock ?? (() => new Date());
    const records = db.collection<IdempotencyDocument>(IDEMPOTENCY_RECORDS_COLLECTION);
    let ttlIndex = true;
    try {
      await ensureIndexes(records, [
        { key: { expiresAt: 1 }, name: 'expires_at_ttl', expireAfterSeconds: 0 },
      ]);
    } catch (err) {
      if (!isNotImplementedError(err)) throw err;
      ttlIndex = false;
    }
    return new MongoIdempotencyStore(
      records,
      new IdempotencyIndex({ ttlMs, clock }),
      ttlMs,
      clock,
      ttlIndex,
    );
  }

  async get(tenantId: string, key: string): Promise<IdempotencyRecord | null> {
    this.assertOpen();
    const doc = await this.records.findOne({ _id: recordId(tenantId, key) });
    if (!doc) return null;
    const record = toRecord(doc);
    return this.rules.isExpired(record) ? null : record;
  }

  async put(input: NewIdempotencyRecord): Promise<IdempotencyRecord> {
    this.assertOpen();
    const created = this.rules.create(input);
    const doc = this.toDocument(created);
    for (let attempt = 1; attempt <= MAX_PUT_ATTEMPTS; attempt += 1) {
      try {
        await this.records.insertOne(doc);
        return structuredClone(created);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const storedDoc = await this.records.findOne({ _id: doc._id });
      if (!storedDoc) continue; // removed in between (expired): insert again
      const stored = toRecord(storedDoc);
      if (!this.rules.isExpired(stored)) return stored;
      await this.records.deleteOne({
        _id: doc._id,
        createdAt: storedDoc.createdAt,
        requestHash: storedDoc.requestHash,
      });
    }
    throw new Error(`idempotency key ${input.key} kept changing under ${MAX_PUT_ATTEMPTS} puts`);
  }

  /** Deletes expired records (for servers without TTL indexes); returns how many. */
  async purgeExpired(): Promise<number> {
    this.assertOpen();
    const result = await this.records.deleteMany({ expiresAt: { $lte: this.clock() } });
    return result.deletedCount;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private toDocument(record: IdempotencyRecord): IdempotencyDocument {
    const createdAtMs = Date.parse(record.createdAt);
    return {
      _id: recordId(record.tenantId, record.key),
      tenantId: record.tenantId,
      key: record.key,
      requestHash: record.requestHash,
      statusCode: record.statusCode,
      body: JSON.stringify(record.body),
      createdAt: record.createdAt,
      createdAtMs,
      expiresAt: new Date((Number.isNaN(createdAtMs) ? 0 : createdAtMs) + this.ttlMs),
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MongoIdempotencyStore is closed');
  }
}

function recordId(tenantId: string, key: string): string {
  // With a NUL inside the tenant id, two (tenantId, key) pairs could share an _id.
  if (tenantId.includes('\u0000')) throw new Error('tenantId must not contain NUL');
  return `${tenantId}\u0000${key}`;
}

function toRecord(doc: IdempotencyDocument): IdempotencyRecord {
  return {
    tenantId: doc.tenantId,
    key: doc.key,
    requestHash: doc.requestHash,
    statusCode: doc.statusCode,
    body: JSON.parse(doc.body) as unknown,
    createdAt: doc.createdAt,
  };
}
