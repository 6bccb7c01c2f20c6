import { IdempotencyIndex } from './idempotency-index';
import {
  IdempotencyRecord,
  IdempotencyStore,
  IdempotencyStoreOptions,
  NewIdempotencyRecord,
} from './idempotency-store.port';

export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly index: IdempotencyIndex;

  constructor(options: IdempotencyStoreOptions = {}) {
    this.index = new IdempotencyIndex(options);
  }

  async get(tenantId: string, key: string): Promise<IdempotencyRecord | null> {
    return this.index.get(tenantId, key);
  }

  async put(record: NewIdempotencyRecord): Promise<IdempotencyRecord> {
    const existing = this.index.get(record.tenantId, record.key);
    if (existing) return existing;
    const created = this.index.create(record);
    this.index.add(created);
    return structuredClone(created);
  }

  async close(): Promise<void> {}
}
