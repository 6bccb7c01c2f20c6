/// <reference types="jest" />
/**
 * The behaviour every IdempotencyStore adapter must have (test-only, Jest globals). The factory
 * gets a clock the test controls and the TTL to use.
 */
import { IdempotencyStore, NewIdempotencyRecord } from './idempotency-store.port';

export interface IdempotencyStoreFixture {
  store: IdempotencyStore;
  /** Closes the current store and opens a new one on the same storage. */
  reopen?: () => Promise<IdempotencyStore>;
  cleanup: () => Promise<void>;
}

export function describeIdempotencyStoreContract(
  name: string,
  factory: (options: { ttlMs: number; clock: () => Date }) => Promise<IdempotencyStoreFixture>,
): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    const ttlMs = 60_000;
    let now: Date;
    let fixture: IdempotencyStoreFixture;
    let store: IdempotencyStore;

    beforeEach(async () => {
      now = new Date('2025-01-15T10:00:00.000Z');
      fixture = await factory({ ttlMs, clock: () => now });
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    function record(overrides: Partial<NewIdempotencyRecord> = {}): NewIdempotencyRecord {
      return {
        tenantId: 'tenant-1',
        key: 'key-1',
        requestHash: 'hash-1',
        statusCode: 201,
        body: { id: 'schedule-1', amount: '10.00' },
        ...overrides,
      };
    }

    it('returns null for an unknown key', async () => {
      expect(await store.get('tenant-1', 'missing')).toBeNull();
    });

    it('stores a record, stamping createdAt from the clock', async () => {
      const stored = await store.put(record());

      expect(stored).toEqual({ ...record(), createdAt: '2025-01-15T10:00:00.000Z' });
      expect(await store.get('tenant-1', 'key-1')).toEqual(stored);
    });

    it('keeps the first write for a key', async () => {
      const first = await store.put(record());

      const second = await store.put(
        record({ requestHash: 'hash-2', statusCode: 200, body: null }),
      );

      expect(second).toEqual(first);
      expect(await store.get('tenant-1', 'key-1')).toEqual(first);
    });

    it('keeps the first of concurrent writes', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => store.put(record({ requestHash: `hash-${i}` }))),
      );

      expect(new Set(results.map((r) => r.requestHash)).size).toBe(1);
    });

    it('scopes keys by tenant', async () => {
      await store.put(record());

      expect(await store.get('tenant-2', 'key-1')).toBeNull();
      const other = await store.put(record({ tenantId: 'tenant-2', requestHash: 'hash-2' }));
      expect(other.requestHash).toBe('hash-2');
    });

    it('ignores records older than the TTL, and then lets the key be used again', async () => {
      await store.put(record());
      now = new Date(now.getTime() + ttlMs - 1);
      expect(await store.get('tenant-1', 'key-1')).not.toBeNull();

      now = new Date(now.getTime() + 1);
      expect(await store.get('tenant-1', 'key-1')).toBeNull();
      const fresh = await store.put(record({ requestHash: 'hash-2' }));
      expect(fresh).toMatchObject({ requestHash: 'hash-2', createdAt: now.toISOString() });
    });

    it('keeps live records across a reopen and drops expired ones', async () => {
      if (!fixture.reopen) return; // adapter without storage to reopen
      await store.put(record({ key: 'old' }));
      now = new Date(now.getTime() + ttlMs / 2);
      const live = await store.put(record({ key: 'new' }));
      now = new Date(now.getTime() + ttlMs / 2);

      store = await fixture.reopen();

      expect(await store.get('tenant-1', 'old')).toBeNull();
      expect(await store.get('tenant-1', 'new')).toEqual(live);
    });
  });
}
