import { MongoClient, type Db } from 'mongodb';
import { BILLING_PERIOD_CHUNKS_COLLECTION, MongoBillingPeriodsReadModel } from '@app/read-models';
import {
  describeBillingPeriodsReadModelContract,
  intervalInput,
  scheduleInput,
  ScheduleLog,
} from '@app/read-models/billing-periods/billing-periods-read-model.contract';
import { billingPeriods } from '@app/domain';
import { MONGODB_URI, dropDatabase, uniqueName } from './support/infra';

/** The MongoDB periods read model on the MongoDB-protocol server (FerretDB), a database per test. */
let client: MongoClient;

beforeAll(async () => {
  client = await MongoClient.connect(MONGODB_URI);
});

afterAll(async () => {
  await client.close();
});

async function fresh() {
  const name = uniqueName('periods');
  const db: Db = client.db(name);
  return {
    readModel: await MongoBillingPeriodsReadModel.open(db),
    db,
    cleanup: () => dropDatabase(name),
  };
}

describeBillingPeriodsReadModelContract('MongoBillingPeriodsReadModel', fresh);

describe('MongoBillingPeriodsReadModel on the server', () => {
  const T = 'merchant-a';
  const now = '2024-01-01T00:00:00Z';
  const create = (log: ScheduleLog, endDate: string) =>
    log.run(
      'bs_1',
      T,
      {
        type: 'CreateBillingSchedule',
        scheduleId: 'bs_1',
        merchantId: T,
        input: scheduleInput({ startDate: now, billingAnchor: now, endDate }),
      },
      now,
    );

  it('keeps one generation of chunks, cut so that a page of 100 reads at most two of them', async () => {
    const { readModel, db, cleanup } = await fresh();
    try {
      const log = new ScheduleLog();
      const endDate = '2049-01-01T00:00:00Z'; // 300 monthly periods
      await readModel.apply(create(log, endDate));
      const replace = (unitPrice: string) =>
        log.run(
          'bs_1',
          T,
          {
            type: 'ReplaceScheduleIntervals',
            intervals: [intervalInput({ startDate: now, endDate, unitPrice })],
          },
          now,
        );
      await readModel.apply(replace('1'));
      await readModel.apply(replace('2'));
      const chunks = db.collection(BILLING_PERIOD_CHUNKS_COLLECTION);
      const stored = await chunks.find({}).sort({ first: 1 }).toArray();
      expect(stored.map((c) => [c.generation, c.first, c.last])).toEqual([
        [3, 0, 99],
        [3, 100, 199],
        [3, 200, 299],
      ]);
      const state = log.states.get('bs_1')!;
      const expected = billingPeriods(state, state.intervals);
      expect(await readModel.page(T, 'bs_1', { offset: 150, limit: 100 })).toStrictEqual({
        version: 3,
        materialised: true,
        data: expected.slice(150, 250),
        total: 300,
      });
    } finally {
      await cleanup();
    }
  });

  it('concurrent projectors applying the same events end with the same periods', async () => {
    const { readModel, db, cleanup } = await fresh();
    try {
      const other = await MongoBillingPeriodsReadModel.open(db);
      const log = new ScheduleLog();
      const events = [
        ...create(log, '2026-01-01T00:00:00Z'),
        ...log.run(
          'bs_1',
          T,
          { type: 'ReplaceScheduleIntervals', intervals: [intervalInput()] },
          now,
        ),
        ...log.run('bs_1', T, { type: 'UpdateBillingSchedule', patch: { status: 'active' } }, now),
      ];
      await Promise.all([readModel.apply(events), other.apply(events), readModel.apply(events)]);
      const state = log.states.get('bs_1')!;
      const all = { offset: 0, limit: 100 };
      const expected = billingPeriods(state, state.intervals);
      for (const model of [readModel, other]) {
        expect(await model.page(T, 'bs_1', all)).toStrictEqual({
          version: state.version,
          materialised: true,
          data: expected,
          total: expected.length,
        });
      }
    } finally {
      await cleanup();
    }
  });
});
