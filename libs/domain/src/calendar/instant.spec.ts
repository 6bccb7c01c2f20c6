import fc from 'fast-check';
import { isStrictInstant, parseStrictInstant, STRICT_INSTANT_PATTERN_SOURCE } from './instant';
import { toUtcDay, toUtcInstant } from '../account-schedules/utc-day';

describe('parseStrictInstant', () => {
  it.each([
    ['2024-01-31T00:00:00Z', '2024-01-31T00:00:00.000Z'],
    ['2024-01-31T00:00:00z', '2024-01-31T00:00:00.000Z'],
    ['2024-01-31t10:20:30.123456789Z', '2024-01-31T10:20:30.123Z'],
    ['2024-02-29T23:59:59+23:59', '2024-02-29T00:00:59.000Z'],
    ['2024-01-01T00:00:00-23:59', '2024-01-01T23:59:00.000Z'],
    ['2024-06-01T02:00:00+02:00', '2024-06-01T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('accepts %s (= %s)', (text, utc) => {
    const parsed = parseStrictInstant(text);
    expect(parsed.ok && parsed.value.toUTC().toISO()).toBe(utc);
    expect(isStrictInstant(text)).toBe(true);
    expect(new RegExp(STRICT_INSTANT_PATTERN_SOURCE).test(text)).toBe(true);
  });

  it.each([
    ['2024-01-01T00:00:00+24:00', 'offset hour 24'],
    ['2024-01-01T00:00:00+99:99', 'offset out of range'],
    ['2024-01-01T00:00:00+05:60', 'offset minute 60'],
    ['2024-01-01T24:00:00Z', 'hour 24'],
    ['2024-01-01T23:60:00Z', 'minute 60'],
    ['2024-01-01T23:59:60Z', 'second 60'],
    ['0000-01-01T00:00:00Z', 'year 0000'],
    ['0001-01-01T00:00:00+01:00', 'year 0000 in UTC'],
    ['9999-12-31T23:00:00-02:00', 'year 10000 in UTC'],
    ['2023-02-29T00:00:00Z', 'not a leap year'],
    ['2024-13-01T00:00:00Z', 'month 13'],
    ['2024-04-31T00:00:00Z', 'April 31'],
    ['2024-01-00T00:00:00Z', 'day 0'],
    ['2024-01-01T00:00:00', 'no offset'],
    ['2024-01-01', 'a date only'],
    ['2024-01-01 00:00:00Z', 'space separator'],
    ['2024-01-01T00:00Z', 'no seconds'],
    ['2024-01-01T00:00:00.Z', 'empty fraction'],
    ['2024-01-01T00:00:00+0100', 'offset without colon'],
    ['+002024-01-01T00:00:00Z', 'expanded year'],
    ['', 'empty'],
    [20240101, 'a number'],
    [null, 'null'],
  ] as [unknown, string][])('refuses %p (%s)', (text) => {
    expect(parseStrictInstant(text).ok).toBe(false);
    expect(isStrictInstant(text)).toBe(false);
  });

  it('isStrictInstant (with its fast path for Z) agrees with parseStrictInstant', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const instantLike = fc
      .tuple(
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.constantFrom('Z', 'z', '+00:00', '-23:59', '+24:00', ''),
      )
      .map(
        ([y, m, d, h, zone]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(h, 2)}:00:00${zone}`,
      );
    fc.assert(
      fc.property(fc.oneof(instantLike, fc.string()), (text) => {
        expect(isStrictInstant(text)).toBe(parseStrictInstant(text).ok);
      }),
      { numRuns: 2000 },
    );
  });

  it('the documented pattern refuses what the regex part of the rule refuses', () => {
    const pattern = new RegExp(STRICT_INSTANT_PATTERN_SOURCE);
    for (const text of ['2024-01-01T00:00:00+24:00', '2024-01-01T24:00:00Z', '2024-01-01T00:00:00'])
      expect(pattern.test(text)).toBe(false);
  });
});

describe('Togai edit dates use the same rule', () => {
  it.each([
    ['2024-07-04', '2024-07-04T00:00:00Z'],
    ['2024-07-04T00:00:00Z', '2024-07-04T00:00:00Z'],
    ['2024-07-04T02:00:00+02:00', '2024-07-04T00:00:00Z'],
    ['0001-01-01', '0001-01-01T00:00:00Z'],
  ])('toUtcDay(%s) = %s', (text, day) => expect(toUtcDay(text)).toBe(day));

  it.each([
    '0000-01-01',
    '0000-01-01T00:00:00Z',
    '2024-07-04T00:00:00+24:00',
    '2024-07-04T00:00:00+99:99',
    '2024-07-03T24:00:00Z',
    '2024-07-04T01:00:00Z',
    '2023-02-29',
  ])('toUtcDay refuses %s', (text) => expect(toUtcDay(text)).toBeNull());

  it('toUtcInstant takes a day or a strict instant, nothing else', () => {
    expect(toUtcInstant('2024-07-04')).toBe('2024-07-04T00:00:00Z');
    expect(toUtcInstant('2024-07-04T10:00:00+02:00')).toBe('2024-07-04T08:00:00Z');
    expect(toUtcInstant('2024-07-04T10:00:00+24:00')).toBeNull();
    expect(toUtcInstant('0000-07-04')).toBeNull();
  });
});
