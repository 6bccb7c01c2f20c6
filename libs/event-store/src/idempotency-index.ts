import {
  DEFAULT_IDEMPOTENCY_TTL_MS,
  IdempotencyRecord,
  IdempotencyStoreOptions,
  NewIdempotencyRecord,
} from './idempotency-store.port';

/** The live idempotency records and the TTL / first-write-wins rules, shared by the adapters. */
export class IdempotencyIndex {
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly ttlMs: number;
  private readonly clock: () => Date;

  constructor(options: IdempotencyStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    this.clock = options.clock ?? (() => new Date());
  }

  get(tenantId: string, key: string): IdempotencyRecord | null {
    const record = this.records.get(recordKey(tenantId, key));
    if (!record) return null;
    if (this.isExpired(record)) {
      this.records.delete(recordKey(tenantId, key));
      return null;
    }
    return structuredClone(record);
  }

  /** Validates and normalises a record to put (plain JSON, createdAt filled in). */
  create(input: NewIdempotencyRecord): IdempotencyRecord {
    if (!input.tenantId || !input.key) throw new Error('idempotency record needs tenantId and key');
    if (!Number.isInteger(input.statusCode)) {
      throw new Error('idempotency record needs an integer statusCode');
    }
    return JSON.parse(
      JSON.stringify({
        tenantId: input.tenantId,
        key: input.key,
        requestHash: input.requestHash,
        statusCode: input.statusCode,
        body: input.body ?? null,
        createdAt: input.createdAt ?? this.clock().toISOString(),
      }),
    ) as IdempotencyRecord;
  }

  /** Stores a record unless it expired or a live one exists (first write wins); false if skipped. */
  add(record: IdempotencyRecord): boolean {
    if (this.isExpired(record) || this.get(record.tenantId, record.key)) return false;
    this.records.set(recordKey(record.tenantId, record.key), record);
    return true;
  }

  live(): IdempotencyRecord[] {
    return [...this.records.values()].filter((record) => !this.isExpired(record));
  }

  isExpired(record: IdempotencyRecord): boolean {
    // A record without a readable createdAt counts as expired.
    return !(Date.parse(record.createdAt) + this.ttlMs > this.clock().getTime());
  }
}

function recordKey(tenantId: string, key: string): string {
  return JSON.stringify([tenantId, key]);
}
