import fc from 'fast-check';
import { DateTime } from 'luxon';
import type {
  AlignmentPolicy,
  PeriodPreset,
  QuantityTransition,
  ScheduleInterval,
  ScheduleTerms,
} from '../billing-schedule/billing-schedule.types';
import { addMonthsSticky } from '../calendar/calendar';
import { Dec } from '../money';
import { billingPeriods, computePeriods } from '.';

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata'];
const GRID_PRESETS: PeriodPreset[] = ['P1M', 'P3M', 'P6M', 'P1Y'];
const ALIGNMENTS: AlignmentPolicy[] = ['anchor', 'calendar', 'coterm'];
const MINUTE = 60_000;
const YEAR_MINUTES = 366 * 24 * 60;
const FROM_2020 = Date.UTC(2020, 0, 1) / MINUTE;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const ms = (isoString: string) => Date.parse(isoString);

/** Random schedule terms: any alignment, zone and non-custom preset, dates within 2020–2034. */
const termsArb = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    periodPreset: fc.constantFrom<PeriodPreset>('single', ...GRID_PRESETS),
    alignmentPolicy: fc.constantFrom(...ALIGNMENTS),
    startMinute: fc.integer({ min: 0, max: 10 * YEAR_MINUTES }),
    lengthMinutes: fc.integer({ min: 1, max: 4 * YEAR_MINUTES }),
    anchorShiftMinutes: fc.integer({ min: -5 * YEAR_MINUTES, max: 5 * YEAR_MINUTES }),
  })
  .map((r): ScheduleTerms => ({
    startDate: iso((FROM_2020 + r.startMinute) * MINUTE),
    endDate: iso((FROM_2020 + r.startMinute + r.lengthMinutes) * MINUTE),
    billingAnchor: iso((FROM_2020 + r.startMinute + r.anchorShiftMinutes) * MINUTE),
    alignmentPolicy: r.alignmentPolicy,
    prorationPolicy: 'none',
    periodPreset: r.periodPreset,
    customPeriodWindows: [],
    timezone: r.timezone,
    paymentTermDays: null,
  }));

function interval(
  schedule: ScheduleTerms,
  fields: Partial<ScheduleInterval> & Pick<ScheduleInterval, 'startDate' | 'endDate'>,
): ScheduleInterval {
  return {
    id: 'si_1',
    orderLineItemId: null,
    itemId: null,
    priceId: null,
    description: null,
    baseQuantity: '1',
    unitPrice: '12.34',
    billingCadence: 'P1M',
    billingMode: 'advance',
    quantityTransitions: [],
    billDate: null,
    usageFilter: null,
    metadata: {},
    createdAt: schedule.startDate,
    updatedAt: schedule.startDate,
    ...fields,
  };
}

const quantityArb = fc.constantFrom('0', '1', '2', '2.5', '3', '10');

/** The quantity in effect at `t` by the interval's own step function (baseQuantity, then transitions). */
function quantityAt(base: string, transitions: QuantityTransition[], t: number): string {
  let quantity = base;
  for (const transition of transitions)
    if (ms(transition.effectiveDate) <= t) quantity = transition.quantity;
  return quantity;
}

describe('period engine properties', () => {
  it('(a) periods tile [startDate, endDate) for any alignment, preset and zone', () => {
    fc.assert(
      fc.property(termsArb, (schedule) => {
        const periods = computePeriods(schedule);
        expect(periods.length).toBeGreaterThan(0);
        expect(ms(periods[0].startDate)).toBe(ms(schedule.startDate));
        expect(ms(periods[periods.length - 1].endDate)).toBe(ms(schedule.endDate));
        periods.forEach((period, i) => {
          expect(period.index).toBe(i);
          expect(ms(period.startDate)).toBeLessThan(ms(period.endDate));
          if (i > 0) expect(period.startDate).toBe(periods[i - 1].endDate);
          if (schedule.periodPreset === 'single') {
            expect([period.fullStart, period.fullEnd, period.isStub]).toEqual([null, null, false]);
            return;
          }
          // Each period lies in its grid cell and is a stub exactly when it is not the whole cell.
          expect(ms(period.fullStart!)).toBeLessThanOrEqual(ms(period.startDate));
          expect(ms(period.endDate)).toBeLessThanOrEqual(ms(period.fullEnd!));
          const wholeCell =
            period.startDate === period.fullStart && period.endDate === period.fullEnd;
          expect(period.isStub).toBe(!wholeCell);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('(b) daily: a transition that keeps the quantity changes no period amount and no line', () => {
    const caseArb = fc.record({
      schedule: termsArb.map((t): ScheduleTerms => ({ ...t, prorationPolicy: 'daily' })),
      billingCadence: fc.constantFrom('P1M', 'P3M', 'P1Y', 'P1W', 'P2W', 'P30D'),
      // Points in the schedule as millionths of its length: interval bounds, transitions, split.
      bounds: fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), {
        minLength: 2,
        maxLength: 2,
      }),
      transitions: fc.array(fc.tuple(fc.integer({ min: 1, max: 999_999 }), quantityArb), {
        maxLength: 4,
      }),
      split: fc.integer({ min: 1, max: 999_999 }),
      baseQuantity: quantityArb,
    });
    fc.assert(
      fc.property(caseArb, (c) => {
        const [s, e] = [ms(c.schedule.startDate), ms(c.schedule.endDate)];
        const at = (millionths: number, from: number, to: number) =>
          Math.floor((from + ((to - from) * millionths) / 1_000_000) / MINUTE) * MINUTE;
        const [lo, hi] = [...c.bounds].sort((a, b) => a - b);
        const [iStart, iEnd] = [at(lo, s, e), at(hi, s, e)];
        fc.pre(iStart < iEnd);
        const instants = [...new Set(c.transitions.map(([p]) => at(p, iStart, iEnd)))]
          .filter((t) => t > iStart && t < iEnd)
          .sort((a, b) => a - b);
        // Quantities are paired with the surviving instants by position (both are random).
        const transitions = instants.map((t, i) => ({
          effectiveDate: iso(t),
          quantity: c.transitions[i][1],
        }));
        const split = at(c.split, iStart, iEnd);
        fc.pre(split > iStart && !instants.includes(split));

        // The same quantity, written differently ('2' → '2.0', '2.5' → '2.50').
        const kept = quantityAt(c.baseQuantity, transitions, split);
        const keeping = {
          effectiveDate: iso(split),
          quantity: kept.includes('.') ? `${kept}0` : `${kept}.0`,
        };
        const fields = {
          startDate: iso(iStart),
          endDate: iso(iEnd),
          baseQuantity: c.baseQuantity,
          billingCadence: c.billingCadence,
        };
        const before = billingPeriods(c.schedule, [
          interval(c.schedule, { ...fields, quantityTransitions: transitions }),
        ]);
        const after = billingPeriods(c.schedule, [
          interval(c.schedule, {
            ...fields,
            quantityTransitions: [...transitions, keeping].sort(
              (a, b) => ms(a.effectiveDate) - ms(b.effectiveDate),
            ),
          }),
        ]);
        expect(after).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('(c) daily units over an aligned grid year with a P1M cadence add up to 12', () => {
    const caseArb = fc.record({
      timezone: fc.constantFrom(...ZONES),
      periodPreset: fc.constantFrom(...GRID_PRESETS),
      alignmentPolicy: fc.constantFrom<AlignmentPolicy>('calendar', 'anchor'),
      year: fc.integer({ min: 2020, max: 2030 }),
      anchor: fc.record({
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 31 }),
        hour: fc.integer({ min: 0, max: 23 }),
        minute: fc.integer({ min: 0, max: 59 }),
      }),
      baseQuantity: quantityArb,
      transitions: fc.array(fc.tuple(fc.integer({ min: 1, max: YEAR_MINUTES - 1 }), quantityArb), {
        maxLength: 6,
      }),
    });
    fc.assert(
      fc.property(caseArb, (c) => {
        const { year, anchor } = c;
        const start =
          c.alignmentPolicy === 'calendar'
            ? DateTime.fromObject({ year, month: 1, day: 1 }, { zone: c.timezone })
            : DateTime.fromObject(
                {
                  year,
                  month: anchor.month,
                  day: Math.min(anchor.day, DateTime.utc(year, anchor.month).daysInMonth!),
                  hour: anchor.hour,
                  minute: anchor.minute,
                },
                { zone: c.timezone },
              );
        // The grid's own year end: in a repeated (fall-back) hour a wall time names two instants,
        // and the grid takes the second one, while luxon's plus() would keep the first offset.
        const end = addMonthsSticky(start, 12);
        const schedule: ScheduleTerms = {
          startDate: iso(start.toMillis()),
          endDate: iso(end.toMillis()),
          billingAnchor: iso(start.toMillis()),
          alignmentPolicy: c.alignmentPolicy,
          prorationPolicy: 'daily',
          periodPreset: c.periodPreset,
          customPeriodWindows: [],
          timezone: c.timezone,
          paymentTermDays: null,
        };
        const yearEnd = end.toMillis();
        const transitions = [...new Set(c.transitions.map(([m]) => start.toMillis() + m * MINUTE))]
          .filter((t) => t < yearEnd)
          .sort((a, b) => a - b)
          .map((t, i) => ({ effectiveDate: iso(t), quantity: c.transitions[i][1] }));

        const periods = billingPeriods(schedule, [
          interval(schedule, {
            startDate: schedule.startDate,
            endDate: schedule.endDate,
            baseQuantity: c.baseQuantity,
            quantityTransitions: transitions,
          }),
        ]);
        expect(periods.every((p) => !p.isStub)).toBe(true);
        const lines = periods.flatMap((p) => p.lines);
        const units = lines.reduce((sum, line) => sum.plus(line.units), new Dec(0));
        // Each line's units print rounded to 12 decimals: allow half a unit in the 12th place each.
        expect(units.minus(12).abs().lte(new Dec('0.5e-12').times(lines.length))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
