import fc from 'fast-check';
import {
  billingPeriods,
  type BillingScheduleCommand,
  type IntervalInput,
  type ScheduleInput,
} from '@app/domain';
import { ScheduleLog } from './billing-periods-read-model.contract';
import { InMemoryBillingPeriodsReadModel } from './in-memory-billing-periods-read-model';

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata'];
const DAY = 86_400_000;
const FROM = Date.UTC(2024, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** A point inside [start, end): a fraction of the way, whole minutes. */
const within = (start: number, end: number, fraction: number) =>
  start + Math.floor(((end - start) * fraction) / 60_000) * 60_000;

const scheduleArb = fc.record({
  startDay: fc.integer({ min: 0, max: 3 * 365 }),
  lengthDays: fc.integer({ min: 1, max: 3 * 365 }),
  anchorShiftDays: fc.integer({ min: -400, max: 400 }),
  timezone: fc.constantFrom(...ZONES),
  periodPreset: fc.constantFrom('P1M', 'P3M', 'P6M', 'P1Y', 'single'),
  alignmentPolicy: fc.constantFrom('anchor', 'calendar', 'coterm'),
  prorationPolicy: fc.constantFrom('none', 'daily'),
  paymentTermDays: fc.option(fc.integer({ min: 0, max: 60 })),
});

const intervalArb = fc.record({
  from: fc.double({ min: 0, max: 0.9, noNaN: true }),
  length: fc.double({ min: 0.05, max: 1, noNaN: true }),
  billingCadence: fc.constantFrom('P1M', 'P3M', 'P1Y', 'P2W', 'one_off'),
  billingMode: fc.constantFrom('advance', 'arrears'),
  unitPrice: fc.constantFrom('10.50', '0.333', '-4', '1200'),
  baseQuantity: fc.constantFrom('1', '2.5', '0'),
  transitionAt: fc.option(fc.double({ min: 0.1, max: 0.9, noNaN: true })),
});

/** An edit as data, turned into a command against the schedule's current terms. */
const editArb = fc.oneof(
  fc.record({
    kind: fc.constant('intervals' as const),
    intervals: fc.array(intervalArb, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('terms' as const), terms: scheduleArb }),
  fc.record({
    kind: fc.constant('paymentTerms' as const),
    days: fc.option(fc.integer({ min: 0, max: 90 })),
  }),
  fc.record({
    kind: fc.constantFrom('activate' as const, 'invoices' as const, 'metadata' as const),
  }),
);

type Edit = typeof editArb extends fc.Arbitrary<infer E> ? E : never;
type Terms = typeof scheduleArb extends fc.Arbitrary<infer T> ? T : never;

function termsInput(t: Terms): Omit<ScheduleInput, 'orderId'> {
  const start = FROM + t.startDay * DAY;
  return {
    startDate: iso(start),
    endDate: iso(start + t.lengthDays * DAY),
    billingAnchor: iso(start + t.anchorShiftDays * DAY),
    timezone: t.timezone,
    periodPreset: t.periodPreset as ScheduleInput['periodPreset'],
    alignmentPolicy: t.alignmentPolicy as ScheduleInput['alignmentPolicy'],
    prorationPolicy: t.prorationPolicy as ScheduleInput['prorationPolicy'],
    paymentTermDays: t.paymentTermDays,
  };
}

function command(edit: Edit, log: ScheduleLog): BillingScheduleCommand {
  const state = log.states.get('bs_1')!;
  const [start, end] = [Date.parse(state.startDate), Date.parse(state.endDate)];
  switch (edit.kind) {
    case 'intervals':
      return {
        type: 'ReplaceScheduleIntervals',
        intervals: edit.intervals.map((i): IntervalInput => {
          const from = within(start, end, i.from);
          const to = Math.max(from + 60_000, within(start, end, Math.min(1, i.from + i.length)));
          return {
            baseQuantity: i.baseQuantity,
            billingCadence: i.billingCadence,
            billingMode: i.billingMode as IntervalInput['billingMode'],
            unitPrice: i.unitPrice,
            startDate: iso(from),
            endDate: iso(Math.min(to, end)),
            quantityTransitions:
              i.transitionAt === null || i.billingCadence === 'one_off'
                ? []
                : [
                    {
                      effectiveDate: iso(within(from, Math.min(to, end), i.transitionAt)),
                      quantity: '3',
                    },
                  ],
          } as IntervalInput;
        }),
      };
    case 'terms':
      return { type: 'UpdateBillingSchedule', patch: termsInput(edit.terms) };
    case 'paymentTerms':
      return { type: 'UpdateBillingSchedule', patch: { paymentTermDays: edit.days } };
    case 'activate':
      return { type: 'UpdateBillingSchedule', patch: { status: 'active' } };
    case 'invoices':
      return { type: 'GenerateScheduleInvoices' };
    case 'metadata':
      return { type: 'UpdateBillingSchedule', patch: { metadata: { edited: log.events.length } } };
  }
}

describe('stored periods equal the engine’s, across random schedules and edits', () => {
  it('after every accepted edit, the whole list and a random page match billingPeriods of the fold', async () => {
    await fc.assert(
      fc.asyncProperty(
        scheduleArb,
        fc.array(editArb, { minLength: 1, maxLength: 8 }),
        fc.nat({ max: 40 }),
        async (terms, edits, offset) => {
          const log = new ScheduleLog();
          const model = new InMemoryBillingPeriodsReadModel();
          const now = '2024-01-01T00:00:00Z';
          const created = log.run(
            'bs_1',
            'm',
            {
              type: 'CreateBillingSchedule',
              scheduleId: 'bs_1',
              merchantId: 'm',
              input: { ...termsInput(terms), orderId: 'ord_1' },
            },
            now,
          );
          fc.pre(created.length > 0);
          await model.apply(created);
          for (const edit of edits) {
            await model.apply(log.run('bs_1', 'm', command(edit, log), now));
            const state = log.states.get('bs_1')!;
            const expected = billingPeriods(state, state.intervals);
            expect(await model.page('m', 'bs_1', { offset: 0, limit: 10_000 })).toStrictEqual({
              version: state.version,
              materialised: true,
              data: expected,
              total: expected.length,
            });
            const page = await model.page('m', 'bs_1', { offset, limit: 5 });
            expect(page?.data).toStrictEqual(expected.slice(offset, offset + 5));
          }
          // A model built from the whole history at once (the start-up catch-up) agrees.
          const rebuilt = new InMemoryBillingPeriodsReadModel();
          await rebuilt.apply(log.events);
          expect(await rebuilt.page('m', 'bs_1', { offset: 0, limit: 10_000 })).toStrictEqual(
            await model.page('m', 'bs_1', { offset: 0, limit: 10_000 }),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
