import { MongoClient, type Db } from 'mongodb';
import {
  BILLING_PERIOD_CHUNKS_COLLECTION,
  BILLING_PERIOD_HEADS_COLLECTION,
  BILLING_PERIODS_CHECKPOINT,
  BILLING_SCHEDULES_COLLECTION,
  BILLING_SCHEDULE_INDEXES,
  CHECKPOINTS_COLLECTION,
  MongoAccountSchedulesReadModel,
  MongoBillingScheduleReadModel,
  ProjectionGapError,
  rebuildMongoReadModels,
} from '@app/read-models';
import {
  describeAccountSchedulesReadModelContract,
  describeBillingScheduleReadModelContract,
} from '@app/read-models/read-model.contract';
import {
  BILLING_SCHEDULE_STREAM_TYPE,
  billingScheduleStreamId,
  decide,
  type BillingScheduleEvent,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { MONGODB_URI, dropDatabase, uniqueName } from './support/infra';

/**
 * The MongoDB read models against the MongoDB-protocol server of scripts/infra (FerretDB):
 * the same contract as the in-memory ones, a database per test.
 */
let client: MongoClient;

beforeAll(async () => {
  client = await MongoClient.connect(MONGODB_URI);
});

afterAll(async () => {
  await client.close();
});

async function freshDb<T>(open: (db: Db) => Promise<T>) {
  const name = uniqueName('read_models');
  const readModel = await open(client.db(name));
  return { readModel, db: client.db(name), cleanup: () => dropDatabase(name) };
}

describeBillingScheduleReadModelContract('MongoBillingScheduleReadModel', () =>
  freshDb((db) => MongoBillingScheduleReadModel.open(db)),
);

describeAccountSchedulesReadModelContract('MongoAccountSchedulesReadModel', () =>
  freshDb((db) => MongoAccountSchedulesReadModel.open(db)),
);

describe('MongoBillingScheduleReadModel on the server', () => {
  let fixture: Awaited<ReturnType<typeof freshDb<MongoBillingScheduleReadModel>>>;

  beforeEach(async () => {
    fixture = await freshDb((db) => MongoBillingScheduleReadModel.open(db));
  });

  afterEach(async () => {
    await fixture.cleanup();
  });

  const created = (scheduleId: string, position: number, createdAt: string): StoredEvent => {
    const [event] = decide(
      {
        type: 'CreateBillingSchedule',
        scheduleId,
        merchantId: 'm',
        input: {
          startDate: '2024-01-01T00:00:00Z',
          endDate: '2024-07-01T00:00:00Z',
          billingAnchor: '2024-01-01T00:00:00Z',
          orderId: 'o',
          metadata: { 'a.b': [[1]] },
        },
      },
      null,
      { now: createdAt, newId: (p) => `${p}_1` },
    );
    return JSON.parse(
      JSON.stringify({
        id: `evt_${position}`,
        ...(event as BillingScheduleEvent),
        occurredAt: createdAt,
        recordedAt: createdAt,
        metadata: { correlationId: 'c', causationId: 'c' },
        streamId: billingScheduleStreamId(scheduleId),
        streamType: BILLING_SCHEDULE_STREAM_TYPE,
        version: 1,
        tenantId: 'm',
        position,
      }),
    ) as StoredEvent;
  };

  it('opens idempotently and creates an index for every query', async () => {
    await MongoBillingScheduleReadModel.open(fixture.db);
    const indexes = await fixture.db
      .collection(BILLING_SCHEDULES_COLLECTION)
      .listIndexes()
      .toArray();
    expect(indexes.map((i) => i.name).sort()).toEqual(
      ['_id_', ...BILLING_SCHEDULE_INDEXES.map((i) => i.name!)].sort(),
    );
  });

  it('stores one document per schedule: the state, encoded keys, epoch-millisecond helpers', async () => {
    await fixture.readModel.apply([created('bs_1', 7, '2024-01-01T00:00:00.500Z')]);
    const doc = await fixture.db
      .collection(BILLING_SCHEDULES_COLLECTION)
      .findOne({ _id: 'bs_1' as never });
    expect(doc).toMatchObject({
      _id: 'bs_1',
      id: 'bs_1',
      merchantId: 'm',
      status: 'draft',
      orderId: 'o',
      subscriptionId: null,
      deletedAt: null,
      version: 1,
      createdAtMs: Date.parse('2024-01-01T00:00:00.500Z'),
      currentPeriodEndMs: null,
      metadata: { 'a%2Eb': [{ '%array': [1] }] },
    });
    expect(await fixture.db.collection(CHECKPOINTS_COLLECTION).findOne({})).toEqual({
      _id: 'billing_schedules',
      position: 7,
    });
    expect((await fixture.readModel.get('m', 'bs_1'))?.metadata).toEqual({ 'a.b': [[1]] });
  });

  it('concurrent projectors applying the same events end with the same document', async () => {
    const events = Array.from({ length: 6 }, (_, i) =>
      created(`bs_${i}`, i + 1, '2024-01-01T00:00:00Z'),
    );
    const other = await MongoBillingScheduleReadModel.open(fixture.db);
    await Promise.all([
      fixture.readModel.apply(events),
      other.apply(events),
      fixture.readModel.apply([...events].reverse()),
    ]);
    const page = await fixture.readModel.list('m', {}, { limit: 10, offset: 0 });
    expect(page.total).toBe(6);
    expect(page.data.every((s) => s.version === 1)).toBe(true);
    expect(await other.checkpoint()).toBe(6);
  });

  it('rebuilds into a fresh collection and renames it over the live one', async () => {
    const events = Array.from({ length: 5 }, (_, i) =>
      created(`bs_${i}`, i + 1, '2024-01-01T00:00:00Z'),
    );
    await fixture.readModel.apply(events);
    await fixture.db.collection(BILLING_SCHEDULES_COLLECTION).deleteOne({ _id: 'bs_3' as never });
    expect(await fixture.readModel.get('m', 'bs_3')).toBeNull();

    const store = {
      readAll: async ({ after = 0, limit = 100 } = {}) =>
        events.filter((e) => e.position > after).slice(0, limit),
    };
    await fixture.db.createCollection(`${BILLING_PERIOD_HEADS_COLLECTION}_rebuild_died`);
    await fixture.db
      .collection<{ _id: string }>(CHECKPOINTS_COLLECTION)
      .insertOne({ _id: `${BILLING_PERIODS_CHECKPOINT}_rebuild_died`, position: 3 } as never);
    expect(await rebuildMongoReadModels({ db: fixture.db, store, batchSize: 2 })).toEqual({
      events: 5,
      position: 5,
    });
    // The model opened before the switch addresses the collection by name: it reads the new one.
    expect((await fixture.readModel.get('m', 'bs_3'))?.version).toBe(1);
    expect((await fixture.readModel.list('m', {}, { limit: 10, offset: 0 })).total).toBe(5);
    expect(await fixture.readModel.checkpoint()).toBe(5);
    // The periods read model is rebuilt too, and what a rebuild that died left is dropped.
    expect(await fixture.db.collection(BILLING_PERIOD_HEADS_COLLECTION).countDocuments()).toBe(5);
    const names = (await fixture.db.listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(
      [
        'account_schedules',
        BILLING_SCHEDULES_COLLECTION,
        BILLING_PERIOD_HEADS_COLLECTION,
        BILLING_PERIOD_CHUNKS_COLLECTION,
        CHECKPOINTS_COLLECTION,
      ].sort(),
    );
    const checkpoints = await fixture.db.collection(CHECKPOINTS_COLLECTION).find().toArray();
    expect(checkpoints.map((c) => c._id).sort()).toEqual(
      ['account_schedules', BILLING_PERIODS_CHECKPOINT, BILLING_SCHEDULES_COLLECTION].sort(),
    );
  });

  it('a gap leaves the stored document alone', async () => {
    const second = { ...created('bs_1', 2, '2024-01-01T00:00:00Z'), version: 2 };
    await expect(fixture.readModel.apply([second])).rejects.toBeInstanceOf(ProjectionGapError);
    expect(await fixture.db.collection(BILLING_SCHEDULES_COLLECTION).countDocuments()).toBe(0);
    expect(await fixture.readModel.checkpoint()).toBe(0);
  });
});
