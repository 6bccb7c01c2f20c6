import { BillingPeriodUpdatedV2 } from '../billing-schedule/billing-schedule.events';
import { CURRENT_EVENT_SCHEMAS, EVENT_SCHEMAS, EVENT_TYPES, eventSchemaOf } from './event-catalog';
import { upcastEvent, UPCASTERS } from './upcasters';

const closedPeriod = {
  index: 2,
  startDate: '2024-03-01T00:00:00Z',
  endDate: '2024-04-01T00:00:00Z',
  amount: '20.00',
  lines: [],
};
const v1 = (currentPeriodStart: string | null, currentPeriodEnd: string | null) => ({
  type: 'BillingPeriodUpdated',
  schemaVersion: 1,
  data: {
    scheduleId: 'bs_1',
    closedPeriod,
    currentPeriodStart,
    currentPeriodEnd,
    pushedInvoiceId: null,
    asOf: '2024-04-01T00:00:00Z',
    runId: 'run_1',
    updatedAt: '2024-04-01T00:05:00Z',
  },
});

describe('upcasters', () => {
  it('BillingPeriodUpdated v1 → v2: the two period fields become one object', () => {
    const event = upcastEvent(v1('2024-04-01T00:00:00Z', '2024-05-01T00:00:00Z'));
    expect(event.schemaVersion).toBe(2);
    expect(event.data).toEqual({
      scheduleId: 'bs_1',
      closedPeriod,
      currentPeriod: { startDate: '2024-04-01T00:00:00Z', endDate: '2024-05-01T00:00:00Z' },
      pushedInvoiceId: null,
      asOf: '2024-04-01T00:00:00Z',
      runId: 'run_1',
      updatedAt: '2024-04-01T00:05:00Z',
    });
    expect(BillingPeriodUpdatedV2.safeParse(event.data).success).toBe(true);
  });

  it('BillingPeriodUpdated v1 after the last period → currentPeriod null', () => {
    expect(upcastEvent(v1(null, null)).data).toMatchObject({ currentPeriod: null });
  });

  it('leaves current versions and unknown types as they are', () => {
    const current = { type: 'BillingScheduleDeleted', schemaVersion: 1, data: { a: 1 } };
    expect(upcastEvent(current)).toBe(current);
    const foreign = { type: 'SomethingElse', schemaVersion: 7, data: {} };
    expect(upcastEvent(foreign)).toBe(foreign);
  });

  it('every upcaster reads a documented version of a known type and leads to the current one', () => {
    for (const upcaster of UPCASTERS) {
      expect(EVENT_TYPES).toContain(upcaster.type);
      expect(eventSchemaOf(upcaster.type, upcaster.fromVersion)?.current).toBe(false);
      const current = CURRENT_EVENT_SCHEMAS.find((e) => e.type === upcaster.type)!;
      expect(upcaster.fromVersion).toBeLessThan(current.schemaVersion);
    }
    // One current version per type, and every superseded version has its upcaster.
    expect(CURRENT_EVENT_SCHEMAS.map((e) => e.type)).toEqual(EVENT_TYPES);
    expect(EVENT_SCHEMAS.filter((e) => !e.current)).toHaveLength(UPCASTERS.length);
  });
});
