import { MongoClient } from 'mongodb';
import { LEASES_COLLECTION, MongoLeaseStore } from '@app/event-store/mongo/mongo-lease-store';
import { MONGODB_URI, dropDatabase, uniqueName } from './support/infra';

describe('MongoLeaseStore on FerretDB', () => {
  /** Two clients stand for two processes sharing the database. */
  let clientA: MongoClient;
  let clientB: MongoClient;
  let name: string;
  let now: number;
  let leasesA: MongoLeaseStore;
  let leasesB: MongoLeaseStore;

  beforeAll(async () => {
    [clientA, clientB] = await Promise.all([
      MongoClient.connect(MONGODB_URI),
      MongoClient.connect(MONGODB_URI),
    ]);
  });

  afterAll(async () => {
    await Promise.all([clientA?.close(), clientB?.close()]);
  });

  beforeEach(async () => {
    name = uniqueName('mongo_leases');
    now = Date.parse('2025-01-15T10:00:00.000Z');
    leasesA = await MongoLeaseStore.open(clientA.db(name), { clock: () => now });
    leasesB = await MongoLeaseStore.open(clientB.db(name), { clock: () => now });
  });

  afterEach(async () => {
    await dropDatabase(name);
  });

  it('is exclusive across instances until it expires', async () => {
    expect(await leasesA.tryAcquire('relay', 'a', 1_000)).toBe(true);
    expect(await leasesB.tryAcquire('relay', 'b', 1_000)).toBe(false);

    now += 600;
    expect(await leasesA.tryAcquire('relay', 'a', 1_000)).toBe(true); // renewed until +1600
    now += 600;
    expect(await leasesB.tryAcquire('relay', 'b', 1_000)).toBe(false);

    now += 1_000;
    expect(await leasesB.tryAcquire('relay', 'b', 1_000)).toBe(true);
    expect(await leasesA.tryAcquire('relay', 'a', 1_000)).toBe(false);
  });

  it('expires exactly at expiresAt', async () => {
    expect(await leasesA.tryAcquire('relay', 'a', 1_000)).toBe(true);

    now += 999;
    expect(await leasesB.tryAcquire('relay', 'b', 1_000)).toBe(false);
    now += 1;
    expect(await leasesB.tryAcquire('relay', 'b', 1_000)).toBe(true);
  });

  it('frees the lease on release by its holder only', async () => {
    expect(await leasesA.tryAcquire('relay', 'a', 60_000)).toBe(true);

    await leasesB.release('relay', 'b');
    expect(await leasesB.tryAcquire('relay', 'b', 60_000)).toBe(false);

    await leasesA.release('relay', 'a');
    expect(await leasesB.tryAcquire('relay', 'b', 60_000)).toBe(true);
    await leasesA.release('relay', 'a'); // no longer a's: nothing happens
    expect(await leasesA.tryAcquire('relay', 'a', 60_000)).toBe(false);
  });

  it('keeps leases of different names apart', async () => {
    expect(await leasesA.tryAcquire('relay', 'a', 60_000)).toBe(true);
    expect(await leasesB.tryAcquire('billing-period', 'b', 60_000)).toBe(true);
    expect(await leasesB.tryAcquire('relay', 'b', 60_000)).toBe(false);
  });

  it('grants a free lease to exactly one of 10 concurrent attempts', async () => {
    for (let round = 0; round < 5; round += 1) {
      const wins = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? leasesA : leasesB).tryAcquire(`job-${round}`, `owner-${i}`, 60_000),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
    }
  });

  it('hands an expired lease to exactly one of 10 concurrent attempts', async () => {
    for (let round = 0; round < 5; round += 1) {
      expect(await leasesA.tryAcquire('relay', `old-${round}`, 1_000)).toBe(true);
      now += 1_000;

      const wins = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? leasesA : leasesB).tryAcquire('relay', `owner-${round}-${i}`, 1_000),
        ),
      );

      expect(wins.filter(Boolean)).toHaveLength(1);
      now += 1_000;
    }
  });

  it('lets concurrent renewals by the holder both succeed', async () => {
    expect(await leasesA.tryAcquire('relay', 'a', 1_000)).toBe(true);

    const renewals = await Promise.all([
      leasesA.tryAcquire('relay', 'a', 1_000),
      leasesB.tryAcquire('relay', 'a', 1_000),
      leasesB.tryAcquire('relay', 'b', 1_000),
    ]);

    expect(renewals).toEqual([true, true, false]);
  });

  it('prunes old terms and stays exclusive', async () => {
    for (let i = 0; i < 40; i += 1) {
      expect(await leasesA.tryAcquire('relay', 'a', 1_000)).toBe(true);
      now += 10;
    }

    const terms = await clientA.db(name).collection(LEASES_COLLECTION).countDocuments({});
    expect(terms).toBeLessThanOrEqual(24);
    expect(await leasesB.tryAcquire('relay', 'b', 1_000)).toBe(false);
    now += 1_000;
    expect(await leasesB.tryAcquire('relay', 'b', 1_000)).toBe(true);
  });
});
