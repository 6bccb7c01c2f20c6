import { MongoClient } from 'mongodb';
import { IdempotencyStore, NewIdempotencyRecord } from '@app/event-store';
import { describeIdempotencyStoreContract } from '@app/event-store/idempotency-store.contract';
import {
  IDEMPOTENCY_RECORDS_COLLECTION,
  MongoIdempotencyStore,
} from '@app/event-store/mongo/mongo-idempotency-store';
import { MONGODB_URI, dropDatabase, uniqueName } from './support/infra';

/** Two clients stand for two processes sharing the database. */
let clientA: MongoClient;
let clientB: MongoClient;

beforeAll(async () => {
  [clientA, clientB] = await Promise.all([
    MongoClient.connect(MONGODB_URI),
    MongoClient.connect(MONGODB_URI),
  ]);
});

afterAll(async () => {
  await Promise.all([clientA?.close(), clientB?.close()]);
});

describeIdempotencyStoreContract('MongoIdempotencyStore on FerretDB', async (options) => {
  const name = uniqueName('mongo_idempotency_contract');
  const db = clientA.db(name);
  let store: IdempotencyStore = await MongoIdempotencyStore.open(db, options);
  return {
    store,
    reopen: async () => {
      await store.close();
      store = await MongoIdempotencyStore.open(db, options);
      return store;
    },
    cleanup: async () => {
      await store.close();
      await dropDatabase(name);
    },
  };
});

describe('MongoIdempotencyStore on FerretDB', () => {
  const ttlMs = 60_000;
  let now: Date;
  let name: string;
  let storeA: MongoIdempotencyStore;
  let storeB: MongoIdempotencyStore;

  beforeEach(async () => {
    now = new Date('2025-01-15T10:00:00.000Z');
    name = uniqueName('mongo_idempotency');
    const options = { ttlMs, clock: () => now };
    storeA = await MongoIdempotencyStore.open(clientA.db(name), options);
    storeB = await MongoIdempotencyStore.open(clientB.db(name), options);
  });

  afterEach(async () => {
    await Promise.all([storeA.close(), storeB.close()]);
    await dropDatabase(name);
  });

  function record(overrides: Partial<NewIdempotencyRecord> = {}): NewIdempotencyRecord {
    return {
      tenantId: 'tenant-1',
      key: 'key-1',
      requestHash: 'hash-1',
      statusCode: 201,
      body: { id: 'schedule-1' },
      ...overrides,
    };
  }

  it('keeps the first of concurrent writes from two instances', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? storeA : storeB).put(record({ requestHash: `hash-${i}` })),
      ),
    );

    expect(new Set(results.map((r) => r.requestHash)).size).toBe(1);
    expect(await storeB.get('tenant-1', 'key-1')).toEqual(results[0]);
  });

  // What the store guarantees for this race (see its comment): on MongoDB one winner, answered
  // to every put; on FerretDB, whose filtered delete is not atomic, two puts may both answer
  // their own record, but one record stays and every later put and get replays it.
  it('lets concurrent writes from two instances replace an expired record: one record stays, and it is one of the answers', async () => {
    await storeA.put(record());
    now = new Date(now.getTime() + ttlMs);

    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? storeA : storeB).put(record({ requestHash: `fresh-${i}` })),
      ),
    );

    for (const result of results) expect(result.requestHash).toMatch(/^fresh-/);
    const stored = await storeA.get('tenant-1', 'key-1');
    expect(results).toContainEqual(stored);
    expect(await storeB.put(record({ requestHash: 'later' }))).toEqual(stored);
    const docs = await clientA.db(name).collection(IDEMPOTENCY_RECORDS_COLLECTION).find().toArray();
    expect(docs).toHaveLength(1);
    const info = await clientA.db(name).admin().command({ buildInfo: 1 });
    if (info.ferretdbVersion === undefined) {
      expect(new Set(results.map((r) => r.requestHash)).size).toBe(1);
    }
  });

  it('stores one document per key with the body as JSON, whatever its keys', async () => {
    const body = { 'a.b': 1, $c: [{ 'd.e': null }], amount: '10.00' };
    await storeA.put(record({ body }));

    expect((await storeB.get('tenant-1', 'key-1'))?.body).toEqual(body);
    const docs = await clientA.db(name).collection(IDEMPOTENCY_RECORDS_COLLECTION).find().toArray();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({
      _id: 'tenant-1\u0000key-1',
      createdAt: '2025-01-15T10:00:00.000Z',
      expiresAt: new Date(now.getTime() + ttlMs),
    });
  });

  it('has a TTL index where the server supports one (FerretDB 1.x does not)', async () => {
    await storeA.put(record());
    const info = await clientA.db(name).admin().command({ buildInfo: 1 });
    const indexes = await clientA.db(name).collection(IDEMPOTENCY_RECORDS_COLLECTION).indexes();

    const ttl = indexes.find((index) => index.expireAfterSeconds !== undefined);
    expect(storeA.ttlIndex).toBe(info.ferretdbVersion === undefined);
    expect(ttl !== undefined).toBe(storeA.ttlIndex);
  });

  it('purges expired records on request', async () => {
    await storeA.put(record({ key: 'old' }));
    now = new Date(now.getTime() + ttlMs / 2);
    await storeA.put(record({ key: 'new' }));
    now = new Date(now.getTime() + ttlMs / 2);

    expect(await storeA.purgeExpired()).toBe(1);

    const docs = await clientA.db(name).collection(IDEMPOTENCY_RECORDS_COLLECTION).find().toArray();
    expect(docs.map((doc) => doc.key)).toEqual(['new']);
    expect(await storeB.get('tenant-1', 'new')).not.toBeNull();
  });
});
