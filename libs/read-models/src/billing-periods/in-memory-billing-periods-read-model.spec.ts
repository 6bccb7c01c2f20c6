import { billingPeriods } from '@app/domain';
import {
  describeBillingPeriodsReadModelContract,
  intervalInput,
  scheduleInput,
  ScheduleLog,
} from './billing-periods-read-model.contract';
import { InMemoryBillingPeriodsReadModel } from './in-memory-billing-periods-read-model';

describeBillingPeriodsReadModelContract('InMemoryBillingPeriodsReadModel', async () => ({
  readModel: new InMemoryBillingPeriodsReadModel(),
  cleanup: async () => undefined,
}));

describe('InMemoryBillingPeriodsReadModel', () => {
  const all = { offset: 0, limit: 1000 };

  it('keeps the stored periods through events that do not change terms or intervals', async () => {
    const log = new ScheduleLog();
    const model = new InMemoryBillingPeriodsReadModel();
    const t = 'merchant-a';
    const now = '2024-01-01T00:00:00Z';
    await model.apply(
      log.run(
        'bs_1',
        t,
        {
          type: 'CreateBillingSchedule',
          scheduleId: 'bs_1',
          merchantId: t,
          input: scheduleInput(),
        },
        now,
      ),
    );
    await model.apply(
      log.run('bs_1', t, { type: 'ReplaceScheduleIntervals', intervals: [intervalInput()] }, now),
    );
    const before = await model.page(t, 'bs_1', all);
    await model.apply(
      log.run(
        'bs_1',
        t,
        { type: 'UpdateBillingSchedule', patch: { status: 'active', metadata: { k: 1 } } },
        now,
      ),
    );
    await model.apply(log.run('bs_1', t, { type: 'GenerateScheduleInvoices' }, now));
    const after = await model.page(t, 'bs_1', all);
    expect(after?.version).toBe(log.states.get('bs_1')!.version);
    expect(after!.version).toBeGreaterThan(before!.version + 1);
    // The very same objects: nothing was recomputed.
    after!.data.forEach((period, i) => expect(period).toBe(before!.data[i]));

    const state = log.states.get('bs_1')!;
    await model.apply(
      log.run(
        'bs_1',
        t,
        { type: 'ReplaceScheduleIntervals', intervals: [intervalInput({ unitPrice: '7' })] },
        now,
      ),
    );
    const replaced = await model.page(t, 'bs_1', all);
    expect(replaced?.data).toStrictEqual(billingPeriods(state, log.states.get('bs_1')!.intervals));
    expect(replaced?.data[0]).not.toStrictEqual(before!.data[0]);
  });

  it('does not store periods of terms the engine refuses, and says so', async () => {
    const model = new InMemoryBillingPeriodsReadModel();
    const log = new ScheduleLog();
    const [created] = log.run(
      'bs_1',
      'm',
      {
        type: 'CreateBillingSchedule',
        scheduleId: 'bs_1',
        merchantId: 'm',
        input: scheduleInput(),
      },
      '2024-01-01T00:00:00Z',
    );
    // An event written before a rule existed: the engine refuses the timezone.
    const legacy = { ...created, data: { ...(created.data as object), timezone: 'Mars/Olympus' } };
    await model.apply([legacy]);
    expect(await model.page('m', 'bs_1', all)).toEqual({
      version: 1,
      materialised: false,
      data: [],
      total: 0,
    });
  });

  it('a batch changing many schedules (the start-up catch-up) stores them, and each one’s periods are computed at its first read', async () => {
    const log = new ScheduleLog();
    const now = '2024-01-01T00:00:00Z';
    const ids = Array.from({ length: 20 }, (_, i) => `bs_${i}`);
    for (const [i, id] of ids.entries()) {
      log.run(
        id,
        'm',
        {
          type: 'CreateBillingSchedule',
          scheduleId: id,
          merchantId: 'm',
          input: scheduleInput({ paymentTermDays: i }),
        },
        now,
      );
      log.run(
        id,
        'm',
        { type: 'ReplaceScheduleIntervals', intervals: [intervalInput({ unitPrice: `${i}.5` })] },
        now,
      );
    }
    const model = new InMemoryBillingPeriodsReadModel();
    await model.apply(log.events);
    const reads = await Promise.all(ids.map((id) => model.page('m', id, all)));
    const again = await Promise.all(ids.map((id) => model.page('m', id, all)));
    ids.forEach((id, i) => {
      const state = log.states.get(id)!;
      expect(reads[i]).toStrictEqual({
        version: 2,
        materialised: true,
        data: billingPeriods(state, state.intervals),
        total: 12,
      });
      // Stored at the first read: the second answers the same objects.
      expect(again[i]!.data[0]).toBe(reads[i]!.data[0]);
    });
  });
});
