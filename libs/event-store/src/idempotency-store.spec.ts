import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIdempotencyStoreContract } from './idempotency-store.contract';
import { IdempotencyStore } from './idempotency-store.port';
import { InMemoryIdempotencyStore } from './in-memory-idempotency-store';
import { openSqliteDatabase, SqliteDatabase } from './sqlite/sqlite-database';
import { SqliteIdempotencyStore } from './sqlite/sqlite-idempotency-store';

describeIdempotencyStoreContract('InMemoryIdempotencyStore', async (options) => {
  const store = new InMemoryIdempotencyStore(options);
  return { store, cleanup: () => store.close() };
});

describeIdempotencyStoreContract('SqliteIdempotencyStore', async (options) => {
  const dir = await mkdtemp(join(tmpdir(), 'sqlite-idempotency-store-'));
  let db: SqliteDatabase = openSqliteDatabase(dir);
  let store: IdempotencyStore = new SqliteIdempotencyStore(db, options);
  const close = async () => {
    await store.close();
    if (db.open) db.close();
  };
  return {
    store,
    reopen: async () => {
      await close();
      db = openSqliteDatabase(dir);
      store = new SqliteIdempotencyStore(db, options);
      return store;
    },
    cleanup: async () => {
      await close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteIdempotencyStore', () => {
  let dir: string;
  let db: SqliteDatabase;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqlite-idempotency-store-'));
    db = openSqliteDatabase(dir);
  });

  afterEach(async () => {
    if (db.open) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const record = (key: string) => ({
    tenantId: 't',
    key,
    requestHash: 'h',
    statusCode: 201,
    body: { ok: true },
  });
  const keys = () =>
    (db.prepare('SELECT key FROM idempotency_records ORDER BY key').all() as { key: string }[]).map(
      (row) => row.key,
    );

  it('deletes expired records on open', async () => {
    let now = new Date('2025-01-15T10:00:00Z');
    const options = { ttlMs: 1000, clock: () => now };
    const first = new SqliteIdempotencyStore(db, options);
    await first.put(record('a'));
    now = new Date(now.getTime() + 600);
    await first.put(record('b'));
    await first.close();
    expect(keys()).toEqual(['a', 'b']);

    now = new Date(now.getTime() + 600);
    await new SqliteIdempotencyStore(db, options).close();

    expect(keys()).toEqual(['b']);
  });

  it('replaces an expired record that was not yet deleted', async () => {
    let now = new Date('2025-01-15T10:00:00Z');
    const store = new SqliteIdempotencyStore(db, { ttlMs: 1000, clock: () => now });
    await store.put(record('a'));
    now = new Date(now.getTime() + 1000);

    const fresh = await store.put({ ...record('a'), requestHash: 'h2' });

    expect(fresh).toMatchObject({ requestHash: 'h2', createdAt: now.toISOString() });
    expect(await store.get('t', 'a')).toEqual(fresh);
    await store.close();
  });

  it('rejects use after close, and finishes puts in flight first', async () => {
    const store = new SqliteIdempotencyStore(db);
    const puts = ['a', 'b', 'c'].map((key) => store.put(record(key)));

    await store.close();

    await Promise.all(puts);
    expect(keys()).toEqual(['a', 'b', 'c']);
    await expect(store.put(record('d'))).rejects.toThrow(/closed/);
    await expect(store.get('t', 'a')).rejects.toThrow(/closed/);
  });
});
