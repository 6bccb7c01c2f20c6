import fc from 'fast-check';
import { daysInMonth } from '../calendar/calendar';
import {
  PRICING_CYCLE_INTERVALS,
  pricingCycles,
  resolveOffsets,
  validatePricingCycleConfig,
  type PricingCycle,
  type PricingCycleConfig,
  type PricingCycleInterval,
  type ResolvedOffsets,
} from '.';

/**
 * Every expectation below was worked out by hand from a calendar, not by running the code.
 * Reference weekdays: 2023-10-23 is a Monday (the seed's own example), 2024-01-01 a Monday,
 * 2025-01-01 a Wednesday. Leap years: 2024, 2028; common: 2023, 2025, 2026, 2027.
 */

const OPEN = '9999-01-01T00:00:00Z';
/** 'YYYY-MM-DD' → that UTC midnight; a full instant is kept as is. */
const z = (s: string) => (s.length === 10 ? `${s}T00:00:00Z` : s);

type Offset = PricingCycleConfig['startOffset'];
const cfg = (
  interval: PricingCycleInterval,
  startOffset?: Offset,
  extra: Partial<PricingCycleConfig> = {},
): PricingCycleConfig => ({
  interval,
  gracePeriod: 0,
  ...(startOffset === undefined ? {} : { startOffset }),
  ...extra,
});
const day = (dayOffset: string, monthOffset?: string | null): NonNullable<Offset> =>
  monthOffset === undefined ? { dayOffset } : { dayOffset, monthOffset };
const anniversary = (interval: PricingCycleInterval) =>
  cfg(interval, undefined, { anniversaryCycle: true });

/** The cycles [p0, p1), [p1, p2), … with gracePeriod 0 (graceEndDate = endDate). */
const chain = (...points: string[]): PricingCycle[] =>
  points.slice(1).map((end, i) => ({
    startDate: z(points[i]),
    endDate: z(end),
    graceEndDate: z(end),
  }));

type Vector = [
  name: string,
  config: PricingCycleConfig,
  start: string,
  end: string,
  count: number,
  expected: PricingCycle[],
];

const VECTORS: Vector[] = [
  // ---- WEEKLY: dayOffset 1–7 = Monday–Sunday, LAST = Sunday --------------------------------
  [
    'weekly Monday, stub from a Wednesday',
    cfg('WEEKLY', day('1')),
    '2023-10-25',
    OPEN,
    3,
    chain('2023-10-25', '2023-10-30', '2023-11-06', '2023-11-13'),
  ],
  [
    'weekly LAST = Sunday, stub from a Monday',
    cfg('WEEKLY', day('LAST')),
    '2023-10-23',
    OPEN,
    3,
    chain('2023-10-23', '2023-10-29', '2023-11-05', '2023-11-12'),
  ],
  [
    'weekly 7 = Sunday, start on a Sunday: no stub',
    cfg('WEEKLY', day('7')),
    '2023-10-29',
    OPEN,
    2,
    chain('2023-10-29', '2023-11-05', '2023-11-12'),
  ],
  [
    'weekly LAST, start on a Sunday after midnight: next Sunday ends the stub',
    cfg('WEEKLY', day('LAST')),
    '2023-10-29T12:00:00Z',
    OPEN,
    2,
    chain('2023-10-29T12:00:00Z', '2023-11-05', '2023-11-12'),
  ],
  [
    'weekly Wednesday across 29 Feb 2024, clipped at a Sunday end',
    cfg('WEEKLY', day('3')),
    '2024-02-26',
    '2024-03-10',
    10,
    chain('2024-02-26', '2024-02-28', '2024-03-06', '2024-03-10'),
  ],
  [
    'weekly LAST across the year end',
    cfg('WEEKLY', day('LAST')),
    '2024-12-25',
    OPEN,
    2,
    chain('2024-12-25', '2024-12-29', '2025-01-05'),
  ],
  [
    'weekly without startOffset: default dayOffset 1 = Monday',
    cfg('WEEKLY'),
    '2024-01-03',
    OPEN,
    2,
    chain('2024-01-03', '2024-01-08', '2024-01-15'),
  ],

  // ---- MONTHLY -------------------------------------------------------------------------
  [
    'monthly 1, open-ended: exactly count cycles',
    cfg('MONTHLY', day('1')),
    '2024-01-01',
    OPEN,
    12,
    chain(
      '2024-01-01',
      '2024-02-01',
      '2024-03-01',
      '2024-04-01',
      '2024-05-01',
      '2024-06-01',
      '2024-07-01',
      '2024-08-01',
      '2024-09-01',
      '2024-10-01',
      '2024-11-01',
      '2024-12-01',
      '2025-01-01',
    ),
  ],
  [
    'monthly 15: stub at the start, clipped at the end',
    cfg('MONTHLY', day('15')),
    '2024-01-10',
    '2024-04-01',
    12,
    chain('2024-01-10', '2024-01-15', '2024-02-15', '2024-03-15', '2024-04-01'),
  ],
  [
    'monthly 1: end on a boundary gives no empty cycle',
    cfg('MONTHLY', day('1', null)),
    '2024-01-01',
    '2024-03-01',
    12,
    chain('2024-01-01', '2024-02-01', '2024-03-01'),
  ],
  [
    'monthly 15: schedule shorter than the stub',
    cfg('MONTHLY', day('15')),
    '2024-01-10',
    '2024-01-12',
    5,
    chain('2024-01-10', '2024-01-12'),
  ],
  [
    'monthly LAST in a leap year (2024): Feb 29',
    cfg('MONTHLY', day('LAST')),
    '2024-01-31',
    OPEN,
    4,
    chain('2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31'),
  ],
  [
    'monthly LAST in a common year (2023): Feb 28',
    cfg('MONTHLY', day('LAST')),
    '2023-01-31',
    OPEN,
    3,
    chain('2023-01-31', '2023-02-28', '2023-03-31', '2023-04-30'),
  ],
  [
    'monthly LAST in a common year (2025), stub from Feb 1',
    cfg('MONTHLY', day('LAST')),
    '2025-02-01',
    OPEN,
    2,
    chain('2025-02-01', '2025-02-28', '2025-03-31'),
  ],
  [
    'monthly 31 sticks: Jan 31, Feb 29, Mar 31, Apr 30, May 31',
    cfg('MONTHLY', day('31')),
    '2024-01-01',
    OPEN,
    5,
    chain('2024-01-01', '2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31'),
  ],
  [
    'monthly 31 across the year end',
    cfg('MONTHLY', day('31')),
    '2023-11-15',
    OPEN,
    4,
    chain('2023-11-15', '2023-11-30', '2023-12-31', '2024-01-31', '2024-02-29'),
  ],
  // SEED CONTRADICTION: the seed documents MONTHLY {dayOffset: 30} as "28th of Jan, 28th of
  // Feb, ...", against its own rule ("if a day with offset doesn't exist for a month, closest
  // previous day is considered"). We follow the rule: Jan 30, Feb 28 (29 in 2024), Mar 30.
  [
    'monthly 30 (seed contradiction, rule wins) in 2023',
    cfg('MONTHLY', day('30')),
    '2023-01-30',
    OPEN,
    3,
    chain('2023-01-30', '2023-02-28', '2023-03-30', '2023-04-30'),
  ],
  [
    'monthly 30 (seed contradiction, rule wins) in 2024',
    cfg('MONTHLY', day('30')),
    '2024-01-30',
    OPEN,
    2,
    chain('2024-01-30', '2024-02-29', '2024-03-30'),
  ],
  [
    'monthly 29 in a common year: Feb 28 then back to the 29th',
    cfg('MONTHLY', day('29')),
    '2023-01-15',
    OPEN,
    4,
    chain('2023-01-15', '2023-01-29', '2023-02-28', '2023-03-29', '2023-04-29'),
  ],
  [
    'monthly 29 in a leap year: Feb 29',
    cfg('MONTHLY', day('29')),
    '2024-02-01',
    OPEN,
    2,
    chain('2024-02-01', '2024-02-29', '2024-03-29'),
  ],
  [
    'monthly 10, start on the boundary day after midnight: a near-full stub',
    cfg('MONTHLY', day('10')),
    '2024-03-10T13:45:00Z',
    OPEN,
    2,
    chain('2024-03-10T13:45:00Z', '2024-04-10', '2024-05-10'),
  ],
  [
    'monthly, start given with an offset is read in UTC',
    cfg('MONTHLY', day('1')),
    '2024-01-31T23:30:00-02:00',
    OPEN,
    1,
    chain('2024-02-01T01:30:00Z', '2024-03-01'),
  ],

  // ---- QUARTERLY: blocks Jan/Apr/Jul/Oct --------------------------------------------------
  [
    'quarterly {15, FIRST}: 15 Jan, Apr, Jul, Oct',
    cfg('QUARTERLY', day('15', 'FIRST')),
    '2024-01-01',
    OPEN,
    5,
    chain('2024-01-01', '2024-01-15', '2024-04-15', '2024-07-15', '2024-10-15', '2025-01-15'),
  ],
  [
    'quarterly {15, 2}: 15 Feb, May, Aug, Nov',
    cfg('QUARTERLY', day('15', '2')),
    '2024-03-01',
    OPEN,
    3,
    chain('2024-03-01', '2024-05-15', '2024-08-15', '2024-11-15'),
  ],
  [
    'quarterly {15, LAST}: 15 Mar, Jun, Sep',
    cfg('QUARTERLY', day('15', 'LAST')),
    '2024-01-01',
    OPEN,
    3,
    chain('2024-01-01', '2024-03-15', '2024-06-15', '2024-09-15'),
  ],
  // SEED CONTRADICTION: the seed documents QUARTERLY {dayOffset: LAST, monthOffset: FIRST} as
  // "31st Jan, 30th Apr, 30th Jul and 31th Oct", but July has 31 days and LAST is the last
  // day of the month. We follow the rule: Jan 31, Apr 30, Jul 31, Oct 31.
  [
    'quarterly {LAST, FIRST} (seed contradiction, rule wins): Jul 31, not Jul 30',
    cfg('QUARTERLY', day('LAST', 'FIRST')),
    '2024-01-01',
    OPEN,
    5,
    chain('2024-01-01', '2024-01-31', '2024-04-30', '2024-07-31', '2024-10-31', '2025-01-31'),
  ],
  [
    'quarterly {LAST, 2} in a common year: Feb 28, May 31, Aug 31, Nov 30',
    cfg('QUARTERLY', day('LAST', '2')),
    '2023-01-01',
    OPEN,
    4,
    chain('2023-01-01', '2023-02-28', '2023-05-31', '2023-08-31', '2023-11-30'),
  ],
  [
    'quarterly {31, LAST}: Jun 30, Sep 30, Dec 31',
    cfg('QUARTERLY', day('31', 'LAST')),
    '2024-04-01',
    OPEN,
    3,
    chain('2024-04-01', '2024-06-30', '2024-09-30', '2024-12-31'),
  ],
  [
    'quarterly {30, 2}: Feb 29 then May 30, clipped',
    cfg('QUARTERLY', day('30', '2')),
    '2024-02-01',
    '2024-06-01',
    10,
    chain('2024-02-01', '2024-02-29', '2024-05-30', '2024-06-01'),
  ],

  // ---- HALF_YEARLY: blocks Jan/Jul --------------------------------------------------------
  [
    'half-yearly {15, FIRST}: 15 Jan and 15 Jul',
    cfg('HALF_YEARLY', day('15', 'FIRST')),
    '2024-03-01',
    OPEN,
    3,
    chain('2024-03-01', '2024-07-15', '2025-01-15', '2025-07-15'),
  ],
  [
    'half-yearly {15, 4}: 15 Apr and 15 Oct',
    cfg('HALF_YEARLY', day('15', '4')),
    '2024-01-01',
    OPEN,
    2,
    chain('2024-01-01', '2024-04-15', '2024-10-15'),
  ],
  [
    'half-yearly {15, LAST}: 15 Jun and 15 Dec, start on a boundary',
    cfg('HALF_YEARLY', day('15', 'LAST')),
    '2024-06-15',
    OPEN,
    2,
    chain('2024-06-15', '2024-12-15', '2025-06-15'),
  ],
  [
    'half-yearly {LAST, 2}: Feb 29 2024, Aug 31, Feb 28 2025',
    cfg('HALF_YEARLY', day('LAST', '2')),
    '2023-08-31',
    OPEN,
    3,
    chain('2023-08-31', '2024-02-29', '2024-08-31', '2025-02-28'),
  ],
  [
    'half-yearly {31, LAST}: Jun 30 and Dec 31',
    cfg('HALF_YEARLY', day('31', 'LAST')),
    '2024-01-01',
    OPEN,
    2,
    chain('2024-01-01', '2024-06-30', '2024-12-31'),
  ],

  // ---- ANNUALLY -------------------------------------------------------------------------
  [
    'annually {15, FIRST}: 15 Jan',
    cfg('ANNUALLY', day('15', 'FIRST')),
    '2024-01-01',
    OPEN,
    2,
    chain('2024-01-01', '2024-01-15', '2025-01-15'),
  ],
  [
    'annually {15, 1} = FIRST',
    cfg('ANNUALLY', day('15', '1')),
    '2024-02-01',
    OPEN,
    2,
    chain('2024-02-01', '2025-01-15', '2026-01-15'),
  ],
  [
    'annually {LAST, 2}: Feb 29 in leap years, Feb 28 otherwise',
    cfg('ANNUALLY', day('LAST', '2')),
    '2023-06-01',
    OPEN,
    5,
    chain('2023-06-01', '2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29'),
  ],
  [
    'annually {29, 2}: Feb 29 sticks back after common years',
    cfg('ANNUALLY', day('29', '2')),
    '2024-01-01',
    OPEN,
    5,
    chain('2024-01-01', '2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29'),
  ],
  [
    'annually {15, 8}: 15 Aug',
    cfg('ANNUALLY', day('15', '8')),
    '2024-01-01',
    OPEN,
    2,
    chain('2024-01-01', '2024-08-15', '2025-08-15'),
  ],
  [
    'annually {15, LAST}: 15 Dec, stub after the boundary',
    cfg('ANNUALLY', day('15', 'LAST')),
    '2024-12-20',
    OPEN,
    2,
    chain('2024-12-20', '2025-12-15', '2026-12-15'),
  ],
  [
    'annually without startOffset: default {1, FIRST} = Jan 1',
    cfg('ANNUALLY'),
    '2024-05-05',
    OPEN,
    2,
    chain('2024-05-05', '2025-01-01', '2026-01-01'),
  ],

  // ---- anniversaryCycle: offsets from the start date -------------------------------------
  [
    'anniversary weekly from a Wednesday → 3',
    anniversary('WEEKLY'),
    '2023-10-25',
    OPEN,
    2,
    chain('2023-10-25', '2023-11-01', '2023-11-08'),
  ],
  [
    'anniversary weekly from a Sunday → 7',
    anniversary('WEEKLY'),
    '2023-10-29',
    OPEN,
    2,
    chain('2023-10-29', '2023-11-05', '2023-11-12'),
  ],
  [
    'anniversary monthly from Jan 31 → LAST',
    anniversary('MONTHLY'),
    '2024-01-31',
    OPEN,
    3,
    chain('2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30'),
  ],
  [
    'anniversary monthly from Jan 30 → 30 sticks after February',
    anniversary('MONTHLY'),
    '2025-01-30',
    OPEN,
    2,
    chain('2025-01-30', '2025-02-28', '2025-03-30'),
  ],
  [
    'anniversary overrides startOffset',
    cfg('MONTHLY', day('1'), { anniversaryCycle: true }),
    '2024-03-12',
    OPEN,
    1,
    chain('2024-03-12', '2024-04-12'),
  ],
  [
    'anniversary annually from 29 Feb 2024 → {LAST, 2}',
    anniversary('ANNUALLY'),
    '2024-02-29',
    OPEN,
    4,
    chain('2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29'),
  ],
  [
    'anniversary annually from 28 Feb 2023 → {LAST, 2}: Feb 29 in 2024',
    anniversary('ANNUALLY'),
    '2023-02-28',
    OPEN,
    2,
    chain('2023-02-28', '2024-02-29', '2025-02-28'),
  ],
  [
    'anniversary annually from 15 Dec → {15, 12}',
    anniversary('ANNUALLY'),
    '2023-12-15',
    OPEN,
    1,
    chain('2023-12-15', '2024-12-15'),
  ],
  [
    'anniversary quarterly from 15 Nov → {15, 2}',
    anniversary('QUARTERLY'),
    '2024-11-15',
    OPEN,
    2,
    chain('2024-11-15', '2025-02-15', '2025-05-15'),
  ],
  [
    'anniversary quarterly from 31 May → {LAST, 2}',
    anniversary('QUARTERLY'),
    '2024-05-31',
    OPEN,
    3,
    chain('2024-05-31', '2024-08-31', '2024-11-30', '2025-02-28'),
  ],
  [
    'anniversary half-yearly from 31 Oct → {LAST, 4}',
    anniversary('HALF_YEARLY'),
    '2024-10-31',
    OPEN,
    2,
    chain('2024-10-31', '2025-04-30', '2025-10-31'),
  ],
  [
    'anniversary monthly from mid-day: boundaries stay at midnight',
    anniversary('MONTHLY'),
    '2024-01-15T10:00:00Z',
    OPEN,
    2,
    chain('2024-01-15T10:00:00Z', '2024-02-15', '2024-03-15'),
  ],
];

describe('pricingCycles: hand-computed vectors', () => {
  it.each(VECTORS)('%s', (_name, config, start, end, count, expected) => {
    expect(validatePricingCycleConfig(config)).toEqual([]);
    expect(pricingCycles(config, z(start), z(end), count)).toEqual(expected);
  });
});

describe('pricingCycles: gracePeriod', () => {
  it.each<[string, PricingCycleConfig, string, string, number, [string, string, string][]]>([
    [
      'gracePeriod 0: graceEndDate = endDate',
      cfg('MONTHLY', day('1'), { gracePeriod: 0 }),
      '2024-01-01',
      OPEN,
      2,
      [
        ['2024-01-01', '2024-02-01', '2024-02-01'],
        ['2024-02-01', '2024-03-01', '2024-03-01'],
      ],
    ],
    [
      'gracePeriod 5 on monthly cycles (leap February)',
      cfg('MONTHLY', day('1'), { gracePeriod: 5 }),
      '2024-01-01',
      OPEN,
      2,
      [
        ['2024-01-01', '2024-02-01', '2024-02-06'],
        ['2024-02-01', '2024-03-01', '2024-03-06'],
      ],
    ],
    [
      'gracePeriod 5 from Feb 28 in a common year runs into March',
      cfg('MONTHLY', day('LAST'), { gracePeriod: 5 }),
      '2023-01-31',
      OPEN,
      2,
      [
        ['2023-01-31', '2023-02-28', '2023-03-05'],
        ['2023-02-28', '2023-03-31', '2023-04-05'],
      ],
    ],
    [
      'gracePeriod 5 from Feb 29 in a leap year',
      cfg('ANNUALLY', day('LAST', '2'), { gracePeriod: 5 }),
      '2023-06-01',
      OPEN,
      1,
      [['2023-06-01', '2024-02-29', '2024-03-05']],
    ],
    [
      'gracePeriod 5 counts from the clipped end',
      cfg('MONTHLY', day('1'), { gracePeriod: 5 }),
      '2024-01-01',
      '2024-01-20',
      3,
      [['2024-01-01', '2024-01-20', '2024-01-25']],
    ],
    [
      'gracePeriod 5 across the year end',
      cfg('ANNUALLY', day('LAST', 'LAST'), { gracePeriod: 5 }),
      '2024-06-01',
      OPEN,
      1,
      [['2024-06-01', '2024-12-31', '2025-01-05']],
    ],
    [
      'gracePeriod 5 on weekly cycles',
      cfg('WEEKLY', day('1'), { gracePeriod: 5 }),
      '2023-10-23',
      OPEN,
      1,
      [['2023-10-23', '2023-10-30', '2023-11-04']],
    ],
  ])('%s', (_name, config, start, end, count, expected) => {
    expect(pricingCycles(config, z(start), z(end), count)).toEqual(
      expected.map(([s, e, g]) => ({ startDate: z(s), endDate: z(e), graceEndDate: z(g) })),
    );
  });
});

describe('pricingCycles: arguments', () => {
  const monthly = cfg('MONTHLY', day('1'));

  it.each([0, -1, 101, 1.5, Number.NaN])('count %p throws RangeError', (count) => {
    expect(() => pricingCycles(monthly, z('2024-01-01'), OPEN, count)).toThrow(RangeError);
  });

  it('accepts count 1 and 100', () => {
    expect(pricingCycles(monthly, z('2024-01-01'), OPEN, 1)).toHaveLength(1);
    const hundred = pricingCycles(monthly, z('2024-01-01'), OPEN, 100);
    expect(hundred).toHaveLength(100);
    // 100 monthly cycles from Jan 2024: the last is Apr 2032 → May 2032.
    expect(hundred[99]).toEqual({
      startDate: z('2032-04-01'),
      endDate: z('2032-05-01'),
      graceEndDate: z('2032-05-01'),
    });
  });

  it('an empty schedule has no cycles', () => {
    expect(pricingCycles(monthly, z('2024-01-01'), z('2024-01-01'), 5)).toEqual([]);
  });

  it('throws RangeError when the end is before the start', () => {
    expect(() => pricingCycles(monthly, z('2024-02-01'), z('2024-01-01'), 5)).toThrow(RangeError);
  });

  it('throws RangeError on an unparsable instant', () => {
    expect(() => pricingCycles(monthly, 'not a date', OPEN, 5)).toThrow(RangeError);
  });

  it('throws RangeError on an invalid config', () => {
    const bad = { interval: 'MONTHLY', gracePeriod: -1 } as unknown as PricingCycleConfig;
    expect(() => pricingCycles(bad, z('2024-01-01'), OPEN, 5)).toThrow(RangeError);
    expect(() => resolveOffsets(bad, z('2024-01-01'))).toThrow(RangeError);
  });
});

describe('resolveOffsets', () => {
  const off = (dayOffset: number | 'LAST', monthOffset: number | null): ResolvedOffsets => ({
    dayOffset,
    monthOffset,
  });

  it.each<[string, PricingCycleConfig, string, ResolvedOffsets]>([
    // anniversary, WEEKLY: ISO weekday (the seed's examples)
    ['weekly 23/10/2023 (Monday)', anniversary('WEEKLY'), '2023-10-23', off(1, null)],
    ['weekly 25/10/2023 (Wednesday)', anniversary('WEEKLY'), '2023-10-25', off(3, null)],
    ['weekly 29/10/2023 (Sunday)', anniversary('WEEKLY'), '2023-10-29', off(7, null)],
    // anniversary, MONTHLY: day of month, a 31st → LAST
    ['monthly 1 Oct', anniversary('MONTHLY'), '2023-10-01', off(1, null)],
    ['monthly 12 Oct', anniversary('MONTHLY'), '2023-10-12', off(12, null)],
    ['monthly 28 Oct', anniversary('MONTHLY'), '2023-10-28', off(28, null)],
    ['monthly 30 Oct', anniversary('MONTHLY'), '2023-10-30', off(30, null)],
    ['monthly 31 Oct', anniversary('MONTHLY'), '2023-10-31', off('LAST', null)],
    ['monthly 29 Feb 2024 stays 29', anniversary('MONTHLY'), '2024-02-29', off(29, null)],
    ['monthly 28 Feb 2023 stays 28', anniversary('MONTHLY'), '2023-02-28', off(28, null)],
    // anniversary, QUARTERLY: position in the quarter
    ['quarterly 15 Jan', anniversary('QUARTERLY'), '2024-01-15', off(15, 1)],
    ['quarterly 15 Apr', anniversary('QUARTERLY'), '2024-04-15', off(15, 1)],
    ['quarterly 15 Feb', anniversary('QUARTERLY'), '2024-02-15', off(15, 2)],
    ['quarterly 15 May', anniversary('QUARTERLY'), '2024-05-15', off(15, 2)],
    ['quarterly 15 Aug', anniversary('QUARTERLY'), '2024-08-15', off(15, 2)],
    ['quarterly 15 Nov', anniversary('QUARTERLY'), '2024-11-15', off(15, 2)],
    ['quarterly 15 Sep', anniversary('QUARTERLY'), '2024-09-15', off(15, 3)],
    ['quarterly 15 Dec', anniversary('QUARTERLY'), '2024-12-15', off(15, 3)],
    ['quarterly 29 Feb 2024 → {LAST, 2}', anniversary('QUARTERLY'), '2024-02-29', off('LAST', 2)],
    ['quarterly 31 Oct → {LAST, 1}', anniversary('QUARTERLY'), '2024-10-31', off('LAST', 1)],
    // anniversary, HALF_YEARLY: position in the half
    ['half-yearly 15 Jul', anniversary('HALF_YEARLY'), '2024-07-15', off(15, 1)],
    ['half-yearly 15 Apr', anniversary('HALF_YEARLY'), '2024-04-15', off(15, 4)],
    ['half-yearly 15 Oct', anniversary('HALF_YEARLY'), '2024-10-15', off(15, 4)],
    ['half-yearly 15 Dec', anniversary('HALF_YEARLY'), '2024-12-15', off(15, 6)],
    // anniversary, ANNUALLY: the month itself
    ['annually 15 Jan', anniversary('ANNUALLY'), '2024-01-15', off(15, 1)],
    ['annually 29 Feb 2024', anniversary('ANNUALLY'), '2024-02-29', off('LAST', 2)],
    ['annually 28 Feb 2023', anniversary('ANNUALLY'), '2023-02-28', off('LAST', 2)],
    ['annually 28 Feb 2025', anniversary('ANNUALLY'), '2025-02-28', off('LAST', 2)],
    ['annually 28 Feb 2024 (not the last day)', anniversary('ANNUALLY'), '2024-02-28', off(28, 2)],
    ['annually 15 Aug', anniversary('ANNUALLY'), '2024-08-15', off(15, 8)],
    ['annually 15 Dec', anniversary('ANNUALLY'), '2023-12-15', off(15, 12)],
    ['annually 31 Dec', anniversary('ANNUALLY'), '2024-12-31', off('LAST', 12)],
    ['annually 30 Apr stays 30', anniversary('ANNUALLY'), '2024-04-30', off(30, 4)],
    [
      'the start is read in UTC (1 Feb 01:30Z)',
      anniversary('MONTHLY'),
      '2024-01-31T23:30:00-02:00',
      off(1, null),
    ],
    // from startOffset
    ['startOffset weekly LAST', cfg('WEEKLY', day('LAST')), '2024-01-01', off('LAST', null)],
    ['startOffset monthly 12', cfg('MONTHLY', day('12', null)), '2024-01-01', off(12, null)],
    ['startOffset monthly LAST', cfg('MONTHLY', day('LAST')), '2024-01-01', off('LAST', null)],
    ['startOffset quarterly FIRST', cfg('QUARTERLY', day('15', 'FIRST')), '2024-01-01', off(15, 1)],
    ['startOffset quarterly LAST', cfg('QUARTERLY', day('15', 'LAST')), '2024-01-01', off(15, 3)],
    [
      'startOffset half-yearly LAST',
      cfg('HALF_YEARLY', day('15', 'LAST')),
      '2024-01-01',
      off(15, 6),
    ],
    ['startOffset annually LAST', cfg('ANNUALLY', day('15', 'LAST')), '2024-01-01', off(15, 12)],
    ['startOffset annually 8', cfg('ANNUALLY', day('15', '8')), '2024-01-01', off(15, 8)],
    [
      'anniversaryCycle false uses startOffset',
      cfg('ANNUALLY', day('LAST', '2'), { anniversaryCycle: false }),
      '2024-07-09',
      off('LAST', 2),
    ],
    // defaults when startOffset is absent
    ['default weekly', cfg('WEEKLY'), '2024-07-09', off(1, null)],
    ['default monthly', cfg('MONTHLY'), '2024-07-09', off(1, null)],
    ['default quarterly', cfg('QUARTERLY'), '2024-07-09', off(1, 1)],
    ['default annually', cfg('ANNUALLY'), '2024-07-09', off(1, 1)],
  ])('%s', (_name, config, start, expected) => {
    expect(resolveOffsets(config, z(start))).toEqual(expected);
  });
});

describe('validatePricingCycleConfig', () => {
  const ok = (interval: string, startOffset?: unknown, extra: Record<string, unknown> = {}) => ({
    interval,
    gracePeriod: 3,
    ...(startOffset === undefined ? {} : { startOffset }),
    ...extra,
  });

  it.each<[string, unknown]>([
    ['weekly, no startOffset', ok('WEEKLY')],
    ['weekly 1', ok('WEEKLY', { dayOffset: '1' })],
    ['weekly 7', ok('WEEKLY', { dayOffset: '7' })],
    ['weekly LAST, monthOffset null', ok('WEEKLY', { dayOffset: 'LAST', monthOffset: null })],
    ['monthly 31', ok('MONTHLY', { dayOffset: '31' })],
    ['monthly LAST', ok('MONTHLY', { dayOffset: 'LAST' })],
    ['monthly, monthOffset null', ok('MONTHLY', { dayOffset: '1', monthOffset: null })],
    ['quarterly FIRST', ok('QUARTERLY', { dayOffset: '15', monthOffset: 'FIRST' })],
    ['quarterly LAST', ok('QUARTERLY', { dayOffset: '15', monthOffset: 'LAST' })],
    ['quarterly 3', ok('QUARTERLY', { dayOffset: '15', monthOffset: '3' })],
    ['half-yearly 6', ok('HALF_YEARLY', { dayOffset: '1', monthOffset: '6' })],
    ['annually 12', ok('ANNUALLY', { dayOffset: 'LAST', monthOffset: '12' })],
    ['annually, no startOffset', ok('ANNUALLY')],
    ['gracePeriod 0', { interval: 'MONTHLY', gracePeriod: 0 }],
    ['anniversaryCycle true', ok('QUARTERLY', undefined, { anniversaryCycle: true })],
    ['anniversaryCycle false', ok('MONTHLY', undefined, { anniversaryCycle: false })],
    [
      'anniversaryCycle with startOffset',
      ok('ANNUALLY', { dayOffset: '1', monthOffset: '1' }, { anniversaryCycle: true }),
    ],
  ])('accepts %s', (_name, config) => {
    expect(validatePricingCycleConfig(config)).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ['null', null, ['']],
    ['an array', [], ['']],
    ['a string', 'MONTHLY', ['']],
    ['an empty object', {}, ['interval', 'gracePeriod']],
    ['an unknown interval', ok('DAILY'), ['interval']],
    ['a lowercase interval', ok('monthly'), ['interval']],
    ['a missing gracePeriod', { interval: 'MONTHLY' }, ['gracePeriod']],
    ['a negative gracePeriod', { interval: 'MONTHLY', gracePeriod: -1 }, ['gracePeriod']],
    ['a fractional gracePeriod', { interval: 'MONTHLY', gracePeriod: 1.5 }, ['gracePeriod']],
    ['a string gracePeriod', { interval: 'MONTHLY', gracePeriod: '3' }, ['gracePeriod']],
    ['a null gracePeriod', { interval: 'MONTHLY', gracePeriod: null }, ['gracePeriod']],
    ['a gracePeriod beyond int32', { interval: 'MONTHLY', gracePeriod: 2 ** 31 }, ['gracePeriod']],
    ['an unknown key', ok('MONTHLY', undefined, { billingDay: 1 }), ['billingDay']],
    [
      'a string anniversaryCycle',
      ok('MONTHLY', undefined, { anniversaryCycle: 'yes' }),
      ['anniversaryCycle'],
    ],
    [
      'a null anniversaryCycle',
      ok('MONTHLY', undefined, { anniversaryCycle: null }),
      ['anniversaryCycle'],
    ],
    ['a null startOffset', ok('MONTHLY', null), ['startOffset']],
    ['an array startOffset', ok('MONTHLY', []), ['startOffset']],
    ['a missing dayOffset', ok('MONTHLY', {}), ['startOffset.dayOffset']],
    [
      'an unknown startOffset key',
      ok('MONTHLY', { dayOffset: '1', weekOffset: '1' }),
      ['startOffset.weekOffset'],
    ],
    ['weekly dayOffset 8', ok('WEEKLY', { dayOffset: '8' }), ['startOffset.dayOffset']],
    ['weekly dayOffset 0', ok('WEEKLY', { dayOffset: '0' }), ['startOffset.dayOffset']],
    ['weekly dayOffset 31', ok('WEEKLY', { dayOffset: '31' }), ['startOffset.dayOffset']],
    ['weekly dayOffset FIRST', ok('WEEKLY', { dayOffset: 'FIRST' }), ['startOffset.dayOffset']],
    ['monthly dayOffset 32', ok('MONTHLY', { dayOffset: '32' }), ['startOffset.dayOffset']],
    ['monthly dayOffset 0', ok('MONTHLY', { dayOffset: '0' }), ['startOffset.dayOffset']],
    ['monthly dayOffset "01"', ok('MONTHLY', { dayOffset: '01' }), ['startOffset.dayOffset']],
    ['monthly dayOffset " 1"', ok('MONTHLY', { dayOffset: ' 1' }), ['startOffset.dayOffset']],
    ['monthly dayOffset "1.0"', ok('MONTHLY', { dayOffset: '1.0' }), ['startOffset.dayOffset']],
    ['monthly dayOffset "last"', ok('MONTHLY', { dayOffset: 'last' }), ['startOffset.dayOffset']],
    ['monthly dayOffset FIRST', ok('MONTHLY', { dayOffset: 'FIRST' }), ['startOffset.dayOffset']],
    ['a numeric dayOffset', ok('MONTHLY', { dayOffset: 15 }), ['startOffset.dayOffset']],
    [
      'monthly with monthOffset',
      ok('MONTHLY', { dayOffset: '1', monthOffset: '1' }),
      ['startOffset.monthOffset'],
    ],
    [
      'weekly with monthOffset',
      ok('WEEKLY', { dayOffset: '1', monthOffset: 'FIRST' }),
      ['startOffset.monthOffset'],
    ],
    [
      'quarterly without monthOffset',
      ok('QUARTERLY', { dayOffset: '15' }),
      ['startOffset.monthOffset'],
    ],
    [
      'quarterly with a null monthOffset',
      ok('QUARTERLY', { dayOffset: '15', monthOffset: null }),
      ['startOffset.monthOffset'],
    ],
    [
      'quarterly monthOffset 4',
      ok('QUARTERLY', { dayOffset: '15', monthOffset: '4' }),
      ['startOffset.monthOffset'],
    ],
    [
      'quarterly monthOffset 0',
      ok('QUARTERLY', { dayOffset: '15', monthOffset: '0' }),
      ['startOffset.monthOffset'],
    ],
    [
      'half-yearly monthOffset 7',
      ok('HALF_YEARLY', { dayOffset: '15', monthOffset: '7' }),
      ['startOffset.monthOffset'],
    ],
    [
      'half-yearly without monthOffset',
      ok('HALF_YEARLY', { dayOffset: '15' }),
      ['startOffset.monthOffset'],
    ],
    [
      'annually monthOffset 13',
      ok('ANNUALLY', { dayOffset: '15', monthOffset: '13' }),
      ['startOffset.monthOffset'],
    ],
    [
      'annually without monthOffset',
      ok('ANNUALLY', { dayOffset: 'LAST' }),
      ['startOffset.monthOffset'],
    ],
    [
      'a numeric monthOffset',
      ok('ANNUALLY', { dayOffset: '15', monthOffset: 2 }),
      ['startOffset.monthOffset'],
    ],
    [
      'monthOffset "first"',
      ok('ANNUALLY', { dayOffset: '15', monthOffset: 'first' }),
      ['startOffset.monthOffset'],
    ],
    [
      'an unknown interval: only the loosest ranges',
      ok('DAILY', { dayOffset: '32', monthOffset: '13' }),
      ['interval', 'startOffset.dayOffset', 'startOffset.monthOffset'],
    ],
    [
      'several problems at once',
      {
        interval: 'WEEKLY',
        gracePeriod: -2,
        anniversaryCycle: 1,
        extra: true,
        startOffset: { dayOffset: 'LAST', monthOffset: '1' },
      },
      ['extra', 'gracePeriod', 'anniversaryCycle', 'startOffset.monthOffset'],
    ],
  ])('rejects %s', (_name, config, fields) => {
    const errors = validatePricingCycleConfig(config);
    expect(errors.map((e) => e.field)).toEqual(fields);
    for (const e of errors) expect(e.message).toEqual(expect.any(String));
  });

  it('names the rule in the messages', () => {
    expect(validatePricingCycleConfig(ok('WEEKLY', { dayOffset: '8' }))).toEqual([
      {
        field: 'startOffset.dayOffset',
        message: 'must be "1" to "7" (Monday to Sunday) or "LAST" for WEEKLY',
      },
    ]);
    expect(
      validatePricingCycleConfig(ok('HALF_YEARLY', { dayOffset: '1', monthOffset: '7' })),
    ).toEqual([
      {
        field: 'startOffset.monthOffset',
        message: 'must be "FIRST", "LAST" or "1" to "6" for HALF_YEARLY',
      },
    ]);
    expect(
      validatePricingCycleConfig(ok('MONTHLY', { dayOffset: '1', monthOffset: 'FIRST' })),
    ).toEqual([{ field: 'startOffset.monthOffset', message: 'must be omitted for MONTHLY' }]);
  });
});

// ---- properties ------------------------------------------------------------------------

const MINUTE = 60_000;
const DAY = 86_400_000;
const FROM_2020 = Date.UTC(2020, 0, 1);
const MONTHS: Record<PricingCycleInterval, number | null> = {
  WEEKLY: null,
  MONTHLY: 1,
  QUARTERLY: 3,
  HALF_YEARLY: 6,
  ANNUALLY: 12,
};
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

const startOffsetArb = (interval: PricingCycleInterval): fc.Arbitrary<Offset> => {
  const months = MONTHS[interval];
  const dayArb = fc.oneof(
    fc.constant('LAST'),
    fc.integer({ min: 1, max: months === null ? 7 : 31 }).map(String),
  );
  const monthArb: fc.Arbitrary<string | null | undefined> =
    months === null || months === 1
      ? fc.constantFrom(undefined, null)
      : fc.oneof(fc.constantFrom('FIRST', 'LAST'), fc.integer({ min: 1, max: months }).map(String));
  return fc.option(
    fc
      .record({ dayOffset: dayArb, monthOffset: monthArb })
      .map(({ dayOffset, monthOffset }) =>
        monthOffset === undefined ? { dayOffset } : { dayOffset, monthOffset },
      ),
    { nil: undefined },
  );
};

const configArb: fc.Arbitrary<PricingCycleConfig> = fc
  .constantFrom(...PRICING_CYCLE_INTERVALS)
  .chain((interval) =>
    fc.record({
      interval: fc.constant(interval),
      startOffset: startOffsetArb(interval),
      gracePeriod: fc.integer({ min: 0, max: 60 }),
      anniversaryCycle: fc.option(fc.boolean(), { nil: undefined }),
    }),
  )
  .map((c) => {
    const config: PricingCycleConfig = { interval: c.interval, gracePeriod: c.gracePeriod };
    if (c.startOffset !== undefined) config.startOffset = c.startOffset;
    if (c.anniversaryCycle !== undefined) config.anniversaryCycle = c.anniversaryCycle;
    return config;
  });

/** A schedule in 2020–2039; half the starts at UTC midnight, a third of them open-ended. */
const scheduleArb = fc
  .record({
    startDay: fc.integer({ min: 0, max: 20 * 366 }),
    startMinute: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 24 * 60 - 1 })),
    lengthMinutes: fc.integer({ min: 1, max: 6 * 366 * 24 * 60 }),
    open: fc.integer({ min: 0, max: 2 }).map((n) => n === 0),
  })
  .map(({ startDay, startMinute, lengthMinutes, open }) => {
    const start = FROM_2020 + startDay * DAY + startMinute * MINUTE;
    return { start: iso(start), end: open ? OPEN : iso(start + lengthMinutes * MINUTE) };
  });

/** Independent of the implementation: is the UTC midnight `ms` a boundary under `offsets`? */
function isBoundary(interval: PricingCycleInterval, offsets: ResolvedOffsets, ms: number): boolean {
  const d = new Date(ms);
  const months = MONTHS[interval];
  if (months === null) {
    const isoWeekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
    return isoWeekday === (offsets.dayOffset === 'LAST' ? 7 : offsets.dayOffset);
  }
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const wanted = offsets.dayOffset === 'LAST' ? 31 : offsets.dayOffset;
  return (
    ((month - 1) % months) + 1 === (offsets.monthOffset ?? 1) &&
    d.getUTCDate() === Math.min(wanted, daysInMonth(year, month))
  );
}

describe('pricingCycles: properties', () => {
  it('cycles are contiguous, increasing, start at the schedule start and stay inside it', () => {
    fc.assert(
      fc.property(
        configArb,
        scheduleArb,
        fc.integer({ min: 1, max: 100 }),
        (config, { start, end }, count) => {
          expect(validatePricingCycleConfig(config)).toEqual([]);
          const cycles = pricingCycles(config, start, end, count);
          expect(cycles.length).toBeGreaterThanOrEqual(1);
          expect(cycles.length).toBeLessThanOrEqual(count);
          expect(cycles[0].startDate).toBe(start);
          const problems: string[] = [];
          cycles.forEach((c, i) => {
            const s = Date.parse(c.startDate);
            const e = Date.parse(c.endDate);
            if (!(s < e)) problems.push(`cycle ${i} is empty or reversed`);
            if (e > Date.parse(end)) problems.push(`cycle ${i} ends after the schedule`);
            if (Date.parse(c.graceEndDate) - e !== config.gracePeriod * DAY)
              problems.push(`cycle ${i} graceEndDate ${c.graceEndDate}`);
            if (i > 0 && c.startDate !== cycles[i - 1].endDate)
              problems.push(`cycle ${i} is not contiguous`);
            if (i > 0 && !/^\d{4}-\d{2}-\d{2}T00:00:00Z$/.test(c.startDate))
              problems.push(`cycle ${i} starts at ${c.startDate}, not at UTC midnight`);
          });
          expect(problems).toEqual([]);
          const last = cycles[cycles.length - 1];
          if (last.endDate !== end) expect(cycles).toHaveLength(count);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every cycle ends on the next boundary after its start (or at the schedule end)', () => {
    fc.assert(
      fc.property(
        configArb,
        scheduleArb,
        fc.integer({ min: 1, max: 24 }),
        (config, { start, end }, count) => {
          const offsets = resolveOffsets(config, start);
          const problems: string[] = [];
          for (const c of pricingCycles(config, start, end, count)) {
            const s = Date.parse(c.startDate);
            const e = Date.parse(c.endDate);
            if (c.endDate !== end && !isBoundary(config.interval, offsets, e))
              problems.push(`${c.endDate} is not a boundary`);
            // Expect() per day is slow; collect and assert once.
            for (let t = Math.floor(s / DAY) * DAY + DAY; t < e; t += DAY) {
              if (isBoundary(config.interval, offsets, t))
                problems.push(`boundary ${iso(t)} skipped inside ${c.startDate}..${c.endDate}`);
            }
          }
          expect(problems).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an anniversary schedule starting at UTC midnight starts on a boundary (no stub)', () => {
    fc.assert(
      fc.property(configArb, fc.integer({ min: 0, max: 20 * 366 }), (config, startDay) => {
        const start = iso(FROM_2020 + startDay * DAY);
        const anniversaryConfig = { ...config, anniversaryCycle: true };
        const offsets = resolveOffsets(anniversaryConfig, start);
        expect(isBoundary(config.interval, offsets, Date.parse(start))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
