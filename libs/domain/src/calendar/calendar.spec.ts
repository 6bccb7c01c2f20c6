import { DateTime } from 'luxon';
import {
  addCadenceSteps,
  addCalendarDays,
  addMonthsSticky,
  cadenceStepIndex,
  calendarDaysBetween,
  calendarMillisBetween,
  daysInMonth,
  isValidCadence,
  parseCadence,
  parseInstant,
  toIsoInstant,
  type Cadence,
} from './calendar';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const at = (iso: string, zone = 'UTC') => parseInstant(iso, zone);

describe('parseInstant / toIsoInstant', () => {
  it('reads an offset instant and sets it to the zone', () => {
    const dt = at('2023-11-07T05:31:56Z', NY);
    expect(dt.zoneName).toBe(NY);
    expect([dt.hour, dt.minute, dt.offset]).toEqual([0, 31, -300]);
  });

  it('reads a string without an offset as local time in the zone', () => {
    expect(toIsoInstant(at('2024-07-01T00:00:00', BERLIN))).toBe('2024-06-30T22:00:00Z');
  });

  it.each([
    ['not a date', 'UTC'],
    ['2024-02-30T00:00:00Z', 'UTC'],
    ['2024-01-01T00:00:00Z', 'Mars/Olympus_Mons'],
  ])('throws on %s in %s', (iso, zone) => {
    expect(() => parseInstant(iso, zone)).toThrow(RangeError);
  });

  it.each([
    ['2023-11-07T05:31:56Z', 'UTC', '2023-11-07T05:31:56Z'],
    ['2023-11-07T00:31:56-05:00', NY, '2023-11-07T05:31:56Z'],
    ['2023-11-07T05:31:56.000Z', 'UTC', '2023-11-07T05:31:56Z'],
    ['2023-11-07T05:31:56.120Z', BERLIN, '2023-11-07T05:31:56.120Z'],
    ['2024-07-01T02:00:00+02:00', 'Asia/Tokyo', '2024-07-01T00:00:00Z'],
  ])('toIsoInstant(%s in %s) = %s', (iso, zone, expected) => {
    expect(toIsoInstant(at(iso, zone))).toBe(expected);
  });
});

describe('daysInMonth', () => {
  it.each([
    [2024, 2, 29],
    [2023, 2, 28],
    [2000, 2, 29],
    [1900, 2, 28],
    [2024, 4, 30],
    [2024, 12, 31],
    [2024, 1, 31],
  ])('%i-%i has %i days', (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });
});

describe('addMonthsSticky', () => {
  it.each([
    ['2024-01-31T00:00:00Z', 1, '2024-02-29T00:00:00Z'],
    ['2024-01-31T00:00:00Z', 2, '2024-03-31T00:00:00Z'],
    ['2024-01-31T00:00:00Z', 3, '2024-04-30T00:00:00Z'],
    ['2023-01-31T00:00:00Z', 1, '2023-02-28T00:00:00Z'],
    ['2024-01-31T00:00:00Z', -1, '2023-12-31T00:00:00Z'],
    ['2024-03-31T00:00:00Z', -1, '2024-02-29T00:00:00Z'],
    ['2024-03-31T00:00:00Z', -13, '2023-02-28T00:00:00Z'],
    ['2024-05-31T00:00:00Z', -3, '2024-02-29T00:00:00Z'],
    ['2024-05-31T00:00:00Z', -24, '2022-05-31T00:00:00Z'],
    ['2024-11-30T00:00:00Z', 3, '2025-02-28T00:00:00Z'],
    ['2024-02-29T00:00:00Z', 12, '2025-02-28T00:00:00Z'],
    ['2024-02-29T00:00:00Z', 48, '2028-02-29T00:00:00Z'],
    ['2024-01-15T10:20:30.250Z', 12, '2025-01-15T10:20:30.250Z'],
    ['2024-01-15T10:20:30Z', 0, '2024-01-15T10:20:30Z'],
    ['2024-01-31T00:00:00Z', 1200, '2124-01-31T00:00:00Z'],
  ])('%s %+i months = %s (UTC)', (origin, months, expected) => {
    expect(toIsoInstant(addMonthsSticky(at(origin), months))).toBe(expected);
  });

  it('keeps local midnight across DST in New York (UTC offset flips -5 → -4 → -5)', () => {
    const origin = at('2024-01-31T05:00:00Z', NY); // Jan 31 00:00 EST
    expect(toIsoInstant(addMonthsSticky(origin, 2))).toBe('2024-03-31T04:00:00Z'); // EDT
    expect(toIsoInstant(addMonthsSticky(origin, 10))).toBe('2024-11-30T05:00:00Z'); // EST
  });

  it('moves a wall time in the spring-forward gap forward', () => {
    // Feb 10 02:30 EST; Mar 10 02:30 does not exist in New York → 03:30 EDT = 07:30Z.
    const origin = at('2024-02-10T07:30:00Z', NY);
    const shifted = addMonthsSticky(origin, 1);
    expect(toIsoInstant(shifted)).toBe('2024-03-10T07:30:00Z');
    expect(shifted.hour).toBe(3);
  });

  it('returns the origin itself for 0 months (even in a repeated fall-back hour)', () => {
    const secondOneThirty = at('2024-11-03T06:30:00Z', NY); // 01:30 EST, the second one
    expect(toIsoInstant(addMonthsSticky(secondOneThirty, 0))).toBe('2024-11-03T06:30:00Z');
  });

  it('rejects fractional months', () => {
    expect(() => addMonthsSticky(at('2024-01-01T00:00:00Z'), 1.5)).toThrow(RangeError);
  });
});

describe('addCalendarDays', () => {
  it.each([
    ['2024-03-09T05:00:00Z', NY, 1, '2024-03-10T05:00:00Z'], // Mar 10 00:00 EST (change at 02:00)
    ['2024-03-09T05:00:00Z', NY, 2, '2024-03-11T04:00:00Z'], // Mar 11 00:00 EDT
    ['2024-11-01T04:00:00Z', NY, 5, '2024-11-06T05:00:00Z'], // EDT → EST
    ['2024-10-26T10:00:00Z', BERLIN, 1, '2024-10-27T11:00:00Z'], // 12:00 CEST → 12:00 CET
    ['2024-01-31T00:00:00Z', 'UTC', 30, '2024-03-01T00:00:00Z'],
    ['2024-03-01T00:00:00Z', 'UTC', -1, '2024-02-29T00:00:00Z'],
  ])('%s (%s) + %i days = %s', (iso, zone, days, expected) => {
    expect(toIsoInstant(addCalendarDays(at(iso, zone), days))).toBe(expected);
  });
});

describe('calendarDaysBetween', () => {
  it.each([
    ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', 'UTC', '31'],
    ['2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z', 'UTC', '29'],
    ['2024-01-01T00:00:00Z', '2024-01-01T12:00:00Z', 'UTC', '0.5'],
    ['2024-01-01T00:00:00Z', '2024-01-01T06:00:00Z', 'UTC', '0.25'],
    ['2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z', 'UTC', '-1'],
    // Mar 1 → Apr 1 local midnight in New York: 31 days though 743 real hours.
    ['2024-03-01T05:00:00Z', '2024-04-01T04:00:00Z', NY, '31'],
    // Oct 1 → Nov 1 local midnight in Berlin across the fall-back (745 real hours).
    ['2024-09-30T22:00:00Z', '2024-10-31T23:00:00Z', BERLIN, '31'],
    // 00:00 → 12:00 local on the 23-hour spring-forward day is half a calendar day.
    ['2024-03-10T05:00:00Z', '2024-03-10T16:00:00Z', NY, '0.5'],
    // 00:00 → 00:00 over the 25-hour fall-back day is one calendar day.
    ['2024-10-26T22:00:00Z', '2024-10-27T23:00:00Z', BERLIN, '1'],
  ])('%s → %s in %s = %s', (a, b, zone, expected) => {
    expect(calendarDaysBetween(at(a, zone), at(b, zone)).toString()).toBe(expected);
  });

  it("measures in a's zone whatever zone b carries", () => {
    const a = at('2024-03-01T05:00:00Z', NY);
    const b = DateTime.fromISO('2024-04-01T04:00:00Z', { zone: 'UTC' });
    expect(calendarDaysBetween(a, b).toString()).toBe('31');
  });

  it('gives a recurring fraction to 40 significant digits, and the exact milliseconds', () => {
    const [a, b] = [at('2024-01-01T00:00:00Z'), at('2024-01-01T08:00:00Z')];
    expect(calendarDaysBetween(a, b).toString()).toBe('0.' + '3'.repeat(40));
    expect(calendarMillisBetween(a, b)).toBe(8 * 3_600_000);
  });

  it('is additive: days(a, b) + days(b, c) = days(a, c), also across DST', () => {
    const [a, b, c] = ['2024-03-09T15:00:00Z', '2024-03-10T09:17:00Z', '2024-03-12T02:00:00Z'].map(
      (iso) => at(iso, NY),
    );
    expect(calendarDaysBetween(a, b).plus(calendarDaysBetween(b, c)).toString()).toBe(
      calendarDaysBetween(a, c).toString(),
    );
  });
});

describe('parseCadence', () => {
  it.each<[string, Cadence]>([
    ['P1M', { kind: 'months', months: 1 }],
    ['P3M', { kind: 'months', months: 3 }],
    ['P12M', { kind: 'months', months: 12 }],
    ['P1Y', { kind: 'months', months: 12 }],
    ['P2Y', { kind: 'months', months: 24 }],
    ['P1W', { kind: 'days', days: 7 }],
    ['P2W', { kind: 'days', days: 14 }],
    ['P1D', { kind: 'days', days: 1 }],
    ['P30D', { kind: 'days', days: 30 }],
    ['one_off', { kind: 'one_off' }],
    ['P0D', { kind: 'one_off' }],
  ])('accepts %s', (cadence, expected) => {
    expect(parseCadence(cadence)).toEqual(expected);
    expect(isValidCadence(cadence)).toBe(true);
  });

  it.each([
    'P0M',
    'P0Y',
    'P0W',
    'PT1H',
    'PT0S',
    'P1M2D',
    'P1Y6M',
    'P1W1D',
    'P1.5M',
    'P-1M',
    'P',
    '1M',
    'p1m',
    ' P1M',
    'P1M ',
    'ONE_OFF',
    'oneoff',
    '',
    'garbage',
    'P99999999999999999999M',
  ])('rejects %j', (cadence) => {
    expect(parseCadence(cadence)).toBeNull();
    expect(isValidCadence(cadence)).toBe(false);
  });
});

describe('addCadenceSteps / cadenceStepIndex', () => {
  const origin = at('2024-01-31T00:00:00Z');
  const monthly: Cadence = { kind: 'months', months: 1 };

  it.each([
    ['2024-01-31T00:00:00Z', 0],
    ['2024-02-28T23:59:59Z', 0],
    ['2024-02-29T00:00:00Z', 1],
    ['2024-03-15T00:00:00Z', 1], // Feb 29 ≤ t < Mar 31
    ['2024-03-31T00:00:00Z', 2],
    ['2023-12-31T00:00:00Z', -1],
    ['2023-12-30T00:00:00Z', -2], // Nov 30 ≤ t < Dec 31
    ['2054-01-31T00:00:00Z', 360],
    ['1994-01-30T00:00:00Z', -361],
  ])('monthly steps from Jan 31 2024: %s is in step %i', (t, k) => {
    expect(cadenceStepIndex(origin, monthly, at(t))).toBe(k);
  });

  it.each([
    ['2024-01-14T23:59:59Z', 1],
    ['2024-01-15T00:00:00Z', 2],
    ['2023-12-31T00:00:00Z', -1],
  ])('weekly steps from Jan 1 2024: %s is in step %i', (t, k) => {
    const weekly: Cadence = { kind: 'days', days: 7 };
    expect(cadenceStepIndex(at('2024-01-01T00:00:00Z'), weekly, at(t))).toBe(k);
  });

  it('steps weeks in local wall time', () => {
    const start = at('2024-03-04T05:00:00Z', NY); // Mon Mar 4 00:00 EST
    const step = addCadenceSteps(start, { kind: 'days', days: 14 }, 1);
    expect(toIsoInstant(step)).toBe('2024-03-18T04:00:00Z'); // Mon Mar 18 00:00 EDT
  });
});
