import fc from 'fast-check';
import type { DateTime } from 'luxon';
import type {
  AlignmentPolicy,
  PeriodPreset,
  ProrationPolicy,
  ScheduleInterval,
  ScheduleTerms,
} from '../billing-schedule/billing-schedule.types';
import {
  addCadenceSteps,
  cadenceStepIndex,
  parseInstant,
  toIsoInstant,
} from '../calendar/calendar';
import {
  billingPeriodCalculator,
  billingPeriods,
  computePeriods,
  estimateLines,
  periodSequence,
  scheduleLimitErrors,
  SCHEDULE_LIMITS,
} from '.';

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney'];
const GRID: Record<string, number> = { P1M: 1, P3M: 3, P6M: 6, P1Y: 12 };
const MINUTE = 60_000;
const YEAR_MINUTES = 366 * 24 * 60;
const FROM_2020 = Date.UTC(2020, 0, 1) / MINUTE;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

const termsArb = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    periodPreset: fc.constantFrom<PeriodPreset>('single', 'P1M', 'P3M', 'P6M', 'P1Y'),
    alignmentPolicy: fc.constantFrom<AlignmentPolicy>('anchor', 'calendar', 'coterm'),
    prorationPolicy: fc.constantFrom<ProrationPolicy>('none', 'daily'),
    startMinute: fc.integer({ min: 0, max: 10 * YEAR_MINUTES }),
    lengthMinutes: fc.integer({ min: 1, max: 6 * YEAR_MINUTES }),
    anchorShiftMinutes: fc.integer({ min: -5 * YEAR_MINUTES, max: 5 * YEAR_MINUTES }),
  })
  .map((r): ScheduleTerms => ({
    startDate: iso((FROM_2020 + r.startMinute) * MINUTE),
    endDate: iso((FROM_2020 + r.startMinute + r.lengthMinutes) * MINUTE),
    billingAnchor: iso((FROM_2020 + r.startMinute + r.anchorShiftMinutes) * MINUTE),
    alignmentPolicy: r.alignmentPolicy,
    prorationPolicy: r.prorationPolicy,
    periodPreset: r.periodPreset,
    customPeriodWindows: [],
    timezone: r.timezone,
    paymentTermDays: null,
  }));

/** The engine's former loop, kept as the reference: every cell from start's until end. */
function referencePeriods(terms: ScheduleTerms): { start: string; end: string }[] {
  const zone = terms.timezone;
  const start = parseInstant(terms.startDate, zone);
  const end = parseInstant(terms.endDate, zone);
  if (terms.periodPreset === 'single') return [{ start: terms.startDate, end: terms.endDate }];
  const step = { kind: 'months', months: GRID[terms.periodPreset] } as const;
  const origin: DateTime =
    terms.alignmentPolicy === 'anchor'
      ? parseInstant(terms.billingAnchor, zone)
      : terms.alignmentPolicy === 'coterm'
        ? end
        : start.set({ month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 });
  const periods: { start: string; end: string }[] = [];
  let k = cadenceStepIndex(origin, step, start);
  let cellStart = addCadenceSteps(origin, step, k);
  while (cellStart < end) {
    const cellEnd = addCadenceSteps(origin, step, k + 1);
    periods.push({
      start: toIsoInstant(cellStart < start ? start : cellStart),
      end: toIsoInstant(cellEnd > end ? end : cellEnd),
    });
    cellStart = cellEnd;
    k++;
  }
  return periods;
}

/** Random intervals inside the schedule: recurring or one-off, with transitions. */
function intervalsArb(terms: ScheduleTerms) {
  const [from, to] = [Date.parse(terms.startDate), Date.parse(terms.endDate)];
  const at = (millionths: number) => from + Math.floor(((to - from) * millionths) / 1_000_000);
  return fc.array(
    fc
      .record({
        bounds: fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), {
          minLength: 2,
          maxLength: 2,
        }),
        cadence: fc.constantFrom('P1M', 'P3M', 'P1Y', 'P1W', 'P1D', 'one_off'),
        transitions: fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 4 }),
        quantities: fc.array(fc.constantFrom('1', '2', '3'), { minLength: 4, maxLength: 4 }),
      })
      .filter(({ bounds }) => at(Math.min(...bounds)) < at(Math.max(...bounds)))
      .map(({ bounds, cadence, transitions, quantities }): ScheduleInterval => {
        const [start, end] = [at(Math.min(...bounds)), at(Math.max(...bounds))];
        const effective = [...new Set(transitions.map(at))]
          .filter((t) => start <= t && t < end)
          .sort((a, b) => a - b);
        return {
          id: `si_${bounds.join('_')}`,
          orderLineItemId: null,
          itemId: null,
          priceId: null,
          description: null,
          baseQuantity: '1',
          unitPrice: '10',
          billingCadence: cadence,
          billingMode: 'advance',
          startDate: iso(start),
          endDate: iso(end),
          quantityTransitions: effective.map((t, i) => ({
            effectiveDate: iso(t),
            quantity: quantities[i],
          })),
          billDate: null,
          usageFilter: null,
          metadata: {},
          createdAt: terms.startDate,
          updatedAt: terms.startDate,
        };
      }),
    { maxLength: 5 },
  );
}

describe('period sequence (periods by index, without materialising them)', () => {
  it('counts exactly the periods of the former loop and yields the same ones, for any slice', () => {
    fc.assert(
      fc.property(termsArb, fc.nat(), fc.nat(), (terms, a, b) => {
        const expected = referencePeriods(terms);
        const sequence = periodSequence(terms);
        expect(sequence.count).toBe(expected.length);
        const actual = computePeriods(terms).map((p) => ({ start: p.startDate, end: p.endDate }));
        expect(actual).toEqual(expected);
        const [from, to] = [a % (expected.length + 1), b % (expected.length + 2)];
        expect(
          sequence
            .spans(from, to)
            .map((p) => ({ start: toIsoInstant(p.start), end: toIsoInstant(p.end) })),
        ).toEqual(expected.slice(from, to));
      }),
      { numRuns: 300 },
    );
  });

  it('indexAt finds the period containing an instant', () => {
    fc.assert(
      fc.property(termsArb, fc.integer({ min: 0, max: 999_999 }), (terms, millionths) => {
        const [from, to] = [Date.parse(terms.startDate), Date.parse(terms.endDate)];
        const t = from + Math.floor(((to - from) * millionths) / 1_000_000);
        const periods = computePeriods(terms);
        const index = periodSequence(terms).indexAt(parseInstant(iso(t), terms.timezone));
        expect(Date.parse(periods[index].startDate)).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(Date.parse(periods[index].endDate));
      }),
      { numRuns: 300 },
    );
  });

  it('billing periods computed by range equal the whole list sliced', () => {
    fc.assert(
      fc.property(
        termsArb.chain((terms) => fc.tuple(fc.constant(terms), intervalsArb(terms), fc.nat())),
        ([terms, intervals, from]) => {
          const all = billingPeriods(terms, intervals);
          const start = from % all.length;
          expect(billingPeriodCalculator(terms, intervals).periods(start, start + 3)).toEqual(
            all.slice(start, start + 3),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('line estimate (the limit check)', () => {
  it('never under-counts the lines of any period, nor the total', () => {
    fc.assert(
      fc.property(
        termsArb.chain((terms) => fc.tuple(fc.constant(terms), intervalsArb(terms))),
        ([terms, intervals]) => {
          const periods = billingPeriods(terms, intervals);
          const estimate = estimateLines(terms, intervals);
          expect(estimate.perPeriod).toHaveLength(periods.length);
          periods.forEach((period, i) =>
            expect(estimate.perPeriod[i]).toBeGreaterThanOrEqual(period.lines.length),
          );
          const total = periods.reduce((sum, period) => sum + period.lines.length, 0);
          expect(estimate.total).toBeGreaterThanOrEqual(total);
          // Without transitions under daily proration the bound is exact.
          if (terms.prorationPolicy === 'none') expect(estimate.total).toBe(total);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('schedule limits', () => {
  const terms = (endDate: string, periodPreset: PeriodPreset = 'P1M'): ScheduleTerms => ({
    startDate: '2024-01-01T00:00:00Z',
    endDate,
    billingAnchor: '2024-01-01T00:00:00Z',
    alignmentPolicy: 'anchor',
    prorationPolicy: 'none',
    periodPreset,
    customPeriodWindows: [],
    timezone: 'UTC',
    paymentTermDays: null,
  });
  const daily = (schedule: ScheduleTerms, n: number): ScheduleInterval[] =>
    Array.from({ length: n }, (_, i) => ({
      id: `si_${i}`,
      orderLineItemId: null,
      itemId: null,
      priceId: null,
      description: null,
      baseQuantity: '1',
      unitPrice: '1',
      billingCadence: 'P1D',
      billingMode: 'advance',
      startDate: schedule.startDate,
      endDate: schedule.endDate,
      quantityTransitions: [],
      billDate: null,
      usageFilter: null,
      metadata: {},
      createdAt: schedule.startDate,
      updatedAt: schedule.startDate,
    }));
  const fields = { periods: 'endDate', lines: 'intervals' };

  it('accepts exactly the period limit and names the field and the limit one period beyond', () => {
    // 1,250 years of monthly periods is exactly 15,000.
    expect(scheduleLimitErrors(terms('3274-01-01T00:00:00Z'), [], fields)).toEqual([]);
    expect(scheduleLimitErrors(terms('3274-01-01T00:00:01Z'), [], fields)).toEqual([
      {
        field: 'endDate',
        message: `these terms make 15001 periods; a schedule has at most ${SCHEDULE_LIMITS.periods} periods`,
      },
    ]);
  });

  it('refuses 1,000 daily intervals over 1,000 years, naming the limit', () => {
    const schedule = terms('3024-01-01T00:00:00Z');
    const errors = scheduleLimitErrors(schedule, daily(schedule, 1_000), fields);
    expect(errors).toEqual([
      {
        field: 'intervals',
        message: `these intervals make up to 12000000 invoice lines over the schedule's 12000 periods; a schedule has at most ${SCHEDULE_LIMITS.lines} invoice lines`,
      },
    ]);
  });

  it('accepts exactly the line limits and refuses one line more', () => {
    const perPeriod = terms('2025-01-01T00:00:00Z', 'single');
    expect(scheduleLimitErrors(perPeriod, daily(perPeriod, 1_000), fields)).toEqual([]);
    expect(scheduleLimitErrors(perPeriod, daily(perPeriod, 1_001), fields)).toEqual([
      expect.objectContaining({ field: 'intervals', message: expect.stringContaining('1001') }),
    ]);
    // 250 intervals over 100 monthly periods: 25,000 lines.
    const total = terms('2032-05-01T00:00:00Z');
    expect(scheduleLimitErrors(total, daily(total, 250), fields)).toEqual([]);
    const longer = terms('2032-06-01T00:00:00Z');
    expect(scheduleLimitErrors(longer, daily(longer, 250), fields)).toEqual([
      expect.objectContaining({ field: 'intervals', message: expect.stringContaining('25250') }),
    ]);
  });
});
