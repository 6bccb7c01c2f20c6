import { DateTime } from 'luxon';
import {
  decide,
  evolve,
  type BillingSchedule,
  type BillingScheduleEvent,
  type IntervalInput,
  type ScheduleInput,
} from '@app/domain';
import { newId } from '../../apps/api/src/infrastructure/ids';

/**
 * The schedule every row uses (issue 9): three years, monthly, anchored on its start, daily
 * proration, Europe/Berlin, three intervals (monthly seats with one quantity transition, a
 * quarterly arrears fee, a monthly add-on for part of the term). `start` is a UTC instant.
 */
export const ZONE = 'Europe/Berlin';

export interface ScheduleShape {
  schedule: ScheduleInput;
  intervals: IntervalInput[];
}

export function scheduleShape(start: string, orderId = 'ord_bench'): ScheduleShape {
  const at = (months: number) =>
    DateTime.fromISO(start, { zone: 'utc' })
      .plus({ months })
      .toISO({ suppressMilliseconds: true })!;
  const schedule: ScheduleInput = {
    startDate: start,
    endDate: at(36),
    billingAnchor: start,
    orderId,
    prorationPolicy: 'daily',
    paymentTermDays: 30,
    timezone: ZONE,
  };
  const intervals: IntervalInput[] = [
    {
      orderLineItemId: 'line_seats',
      description: 'Seats',
      baseQuantity: '3',
      unitPrice: '10.00',
      billingCadence: 'P1M',
      startDate: start,
      endDate: at(36),
      quantityTransitions: [{ effectiveDate: at(5), quantity: '5' }],
    },
    {
      orderLineItemId: 'line_platform',
      description: 'Platform fee',
      baseQuantity: '2',
      unitPrice: '99.50',
      billingCadence: 'P3M',
      billingMode: 'arrears',
      startDate: start,
      endDate: at(36),
    },
    {
      orderLineItemId: 'line_addon',
      description: 'Add-on',
      baseQuantity: '1',
      unitPrice: '250.00',
      billingCadence: 'P1M',
      startDate: at(14),
      endDate: at(30),
    },
  ];
  return { schedule, intervals };
}

/** The i-th of many distinct starts: anchors on every day of the month (28th–31st included). */
export function variedStart(i: number): string {
  const day = 1 + (i % 31);
  const month = Math.floor(i / 31) % 12;
  return DateTime.fromObject({ year: 2024, month: 1 + month, day: 1 }, { zone: 'utc' })
    .plus({ days: day - 1 })
    .toISO({ suppressMilliseconds: true })!;
}

export const newScheduleId = () => newId('bs');

/**
 * The events of a schedule created, given the shape's intervals and (optionally) activated,
 * decided by the domain itself at time `now` with its own fold in between.
 */
export function decidedSchedule(
  scheduleId: string,
  merchantId: string,
  shape: ScheduleShape,
  now: string,
  activate: boolean,
): { events: BillingScheduleEvent[]; state: BillingSchedule } {
  const ctx = { now, newId: (prefix: string) => newId(prefix) };
  const events: BillingScheduleEvent[] = [];
  let state: BillingSchedule | null = null;
  const apply = (decided: BillingScheduleEvent[]) => {
    for (const event of decided) {
      events.push(event);
      state = evolve(state, event, events.length);
    }
  };
  apply(
    decide(
      { type: 'CreateBillingSchedule', scheduleId, merchantId, input: shape.schedule },
      state,
      ctx,
    ),
  );
  apply(decide({ type: 'ReplaceScheduleIntervals', intervals: shape.intervals }, state, ctx));
  if (activate)
    apply(decide({ type: 'UpdateBillingSchedule', patch: { status: 'active' } }, state, ctx));
  return { events, state: state! };
}
