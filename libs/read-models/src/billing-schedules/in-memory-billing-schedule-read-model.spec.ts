import {
  intervalInput,
  scheduleInput,
  ScheduleLog,
} from '../billing-periods/billing-periods-read-model.contract';
import type { StoredEvent } from '@app/event-store';
import { ProjectionGapError } from '../projection-gap-error';
import { InMemoryBillingScheduleReadModel } from './in-memory-billing-schedule-read-model';

describe('InMemoryBillingScheduleReadModel given the folded state (the command runner)', () => {
  const T = 'merchant-a';
  const now = '2024-01-01T00:00:00Z';
  const commands: ((log: ScheduleLog) => StoredEvent[])[] = [
    (log) =>
      log.run(
        'bs_1',
        T,
        {
          type: 'CreateBillingSchedule',
          scheduleId: 'bs_1',
          merchantId: T,
          input: scheduleInput(),
        },
        now,
      ),
    (log) =>
      log.run('bs_1', T, { type: 'ReplaceScheduleIntervals', intervals: [intervalInput()] }, now),
    (log) =>
      log.run(
        'bs_1',
        T,
        { type: 'UpdateBillingSchedule', patch: { status: 'active', metadata: { a: 1 } } },
        now,
      ),
  ];

  it('stores the folded state of each command: the same model as folding the events', async () => {
    const log = new ScheduleLog();
    const byFold = new InMemoryBillingScheduleReadModel();
    const byState = new InMemoryBillingScheduleReadModel();
    for (const command of commands) {
      const events = command(log);
      await byFold.apply(events);
      await byState.apply(events, log.states.get('bs_1'));
      expect(await byState.get(T, 'bs_1')).toBe(log.states.get('bs_1'));
    }
    expect(await byState.get(T, 'bs_1')).toStrictEqual(await byFold.get(T, 'bs_1'));
    expect(await byState.checkpoint()).toBe(await byFold.checkpoint());
  });

  it('ignores a folded state the events do not lead to: redeliveries change nothing, a gap throws', async () => {
    const log = new ScheduleLog();
    const [created, intervals, activated] = commands.map((command) => command(log));
    const model = new InMemoryBillingScheduleReadModel();
    await model.apply(created);
    const afterCreate = await model.get(T, 'bs_1');
    // A redelivery of the first command with a later state: still version 1.
    await model.apply(created, log.states.get('bs_1'));
    expect(await model.get(T, 'bs_1')).toBe(afterCreate);
    await expect(model.apply(activated, log.states.get('bs_1'))).rejects.toBeInstanceOf(
      ProjectionGapError,
    );
    expect((await model.get(T, 'bs_1'))?.version).toBe(1);
    await model.apply([...intervals, ...activated], log.states.get('bs_1'));
    expect(await model.get(T, 'bs_1')).toStrictEqual(log.states.get('bs_1'));
  });
});
