import {
  BILLING_SCHEDULE_STREAM_TYPE,
  billingScheduleStreamId,
  decide,
  evolve,
  type BillingScheduleCommand,
  type BillingScheduleEvent,
  type BillingScheduleState,
} from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  BILLING_SCHEDULE_READ_MODEL,
  type BillingScheduleReadModel,
  type DueQuery,
} from '@app/read-models';
import { BATCH_SIZE } from '../apps/api/src/billing-period-task/billing-period-updater';
import { newEventId, newId } from '../apps/api/src/infrastructure/ids';
import { startTestApp, TENANT_A, type TestApp } from './support/test-app';

const SCHEDULES = 10_000;
jest.setTimeout(120_000);

/** The three commands of an active monthly schedule, decided by the real domain code. */
function activeScheduleEvents(scheduleId: string): BillingScheduleEvent[] {
  const commands: BillingScheduleCommand[] = [
    {
      type: 'CreateBillingSchedule',
      scheduleId,
      merchantId: TENANT_A.tenant,
      input: {
        startDate: '2024-01-01T00:00:00Z',
        endDate: '2024-04-01T00:00:00Z',
        billingAnchor: '2024-01-01T00:00:00Z',
        orderId: `ord_${scheduleId}`,
      },
    },
    {
      type: 'ReplaceScheduleIntervals',
      intervals: [
        {
          baseQuantity: '3',
          billingCadence: 'P1M',
          startDate: '2024-01-01T00:00:00Z',
          endDate: '2024-04-01T00:00:00Z',
          unitPrice: '9.99',
        },
      ],
    },
    { type: 'UpdateBillingSchedule', patch: { status: 'active' } },
  ];
  let state: BillingScheduleState = null;
  const events: BillingScheduleEvent[] = [];
  for (const command of commands) {
    for (const event of decide(command, state, { now: '2023-12-01T00:00:00Z', newId })) {
      events.push(event);
      state = evolve(state, event, events.length);
    }
  }
  return events;
}

describe(`billing-period task at scale (${SCHEDULES} due schedules, embedded file store)`, () => {
  let t: TestApp;
  afterAll(() => t.destroy());

  it('closes one period of every due schedule in one run, reading at most one page at a time', async () => {
    t = await startTestApp();
    const store = t.app.get<EventStore>(EVENT_STORE);
    const readModel = t.app.get<BillingScheduleReadModel>(BILLING_SCHEDULE_READ_MODEL);
    // One decided template; each schedule is a copy with its own schedule and interval ids.
    const template = JSON.stringify(activeScheduleEvents('bs_TEMPLATE'));
    const templateIntervalId = (JSON.parse(template)[1].data.intervals[0] as { id: string }).id;
    for (let i = 0; i < SCHEDULES; i++) {
      const scheduleId = newId('bs');
      const scheduleEvents = JSON.parse(
        template.replaceAll('bs_TEMPLATE', scheduleId).replaceAll(templateIntervalId, newId('si')),
      ) as BillingScheduleEvent[];
      const { events } = await store.append({
        streamId: billingScheduleStreamId(scheduleId),
        streamType: BILLING_SCHEDULE_STREAM_TYPE,
        tenantId: TENANT_A.tenant,
        expectedVersion: 0,
        events: scheduleEvents.map((event) => ({
          id: newEventId(),
          type: event.type,
          schemaVersion: event.schemaVersion,
          occurredAt: '2023-12-01T00:00:00Z',
          data: event.data,
          metadata: { correlationId: 'seed', causationId: 'seed' },
        })),
      });
      await readModel.apply(events);
    }

    const pages: number[] = [];
    const heap: number[] = [];
    const original = readModel.dueForPeriodUpdate.bind(readModel);
    readModel.dueForPeriodUpdate = async (query: DueQuery) => {
      (globalThis as { gc?: () => void }).gc?.(); // with node --expose-gc: live heap, not garbage
      heap.push(process.memoryUsage().heapUsed);
      const page = await original(query);
      pages.push(page.length);
      return page;
    };

    const started = Date.now();
    const res = await t
      .http()
      .post('/v1/tasks/scheduled/schedule-update-billing-period')
      .set(t.auth())
      .send({ asOf: '2024-02-01T00:00:00Z' });
    const seconds = (Date.now() - started) / 1000;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      schedulesScanned: SCHEDULES,
      schedulesAdvanced: SCHEDULES,
      periodsClosed: SCHEDULES,
      schedulesCompleted: 0,
      schedulesFailed: 0,
    });

    // Bounded memory: the run never holds more than one page of due schedules.
    expect(Math.max(...pages)).toBe(BATCH_SIZE);
    expect(pages).toHaveLength(Math.ceil(SCHEDULES / BATCH_SIZE) + 1);
    expect(pages.at(-1)).toBe(0);

    const again = await t
      .http()
      .post('/v1/tasks/scheduled/schedule-update-billing-period')
      .set(t.auth())
      .send({ asOf: '2024-02-01T00:00:00Z' });
    expect(again.body.periodsClosed).toBe(0);

    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    process.stdout.write(
      `\n[scale] ${SCHEDULES} schedules, one period each, in ${seconds.toFixed(1)} s ` +
        `(${Math.round(SCHEDULES / seconds)}/s); heap at page starts ${mib(Math.min(...heap))}–${mib(Math.max(...heap))} MiB ` +
        `over ${pages.length} pages of ≤ ${BATCH_SIZE}\n`,
    );
  });
});
