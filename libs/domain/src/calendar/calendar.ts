import type Decimal from 'decimal.js';
import { DateTime, IANAZone } from 'luxon';
import { Dec } from '../money';

/**
 * Calendar arithmetic in a time zone: the one place that steps months, clamps days and
 * measures calendar days. Pure functions over luxon DateTimes; callers pass the zone in.
 */

export const MS_PER_CALENDAR_DAY = 86_400_000;

/** Parses an ISO-8601 instant and sets it to `zone` (a string without an offset is read as local time in `zone`). */
export function parseInstant(iso: string, zone: string): DateTime {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) {
    throw new RangeError(`invalid instant "${iso}" in zone "${zone}": ${dt.invalidExplanation}`);
  }
  return dt;
}

/** The canonical output form: UTC, `Z`, milliseconds only when non-zero (`2023-11-07T05:31:56Z`). */
export function toIsoInstant(dt: DateTime): string {
  const iso = dt.toUTC().toISO({ suppressMilliseconds: true });
  if (iso === null) throw new RangeError(`invalid DateTime: ${dt.invalidExplanation}`);
  return iso;
}

/** Number of days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * `origin` plus `months` calendar months, in origin's zone. The day of month is origin's,
 * clamped to the target month's length; the time of day is origin's local wall time (a
 * wall time that falls in a spring-forward gap is moved forward by luxon).
 *
 * The day sticks only if every step starts from the same origin: step k is
 * `addMonthsSticky(origin, k * step)`, never `addMonthsSticky(previousBoundary, step)`
 * (Jan 31 → Feb 29 → Mar 31, not → Mar 29).
 */
export function addMonthsSticky(origin: DateTime, months: number): DateTime {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  // Rebuilding the zero step from its wall time could pick the other instant of a repeated
  // (fall-back) hour, so the origin itself is returned.
  if (months === 0) return origin;
  const monthIndex = origin.year * 12 + (origin.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  return DateTime.fromObject(
    {
      year,
      month,
      day: Math.min(origin.day, daysInMonth(year, month)),
      hour: origin.hour,
      minute: origin.minute,
      second: origin.second,
      millisecond: origin.millisecond,
    },
    { zone: origin.zone },
  );
}

/** `dt` plus `days` calendar days, keeping the local wall time across DST changes. */
export function addCalendarDays(dt: DateTime, days: number): DateTime {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return dt.plus({ days });
}

/**
 * Calendar days from `a` to `b`, measured in a's zone as the difference of their local
 * wall-clock date-times: Mar 1 00:00 → Apr 1 00:00 is exactly 31 across a DST change, and
 * the result is fractional only when the local times of day differ (00:00 → 12:00 is 0.5,
 * even on a 23-hour or 25-hour day).
 *
 * Chosen over "whole days + remaining real ms / ms in that local day" because it is
 * additive — days(a, b) + days(b, c) = days(a, c) for any instants — so the daily-prorated
 * parts of a period always add up to the whole. The cost: inside the hour repeated when
 * clocks fall back, two instants share a wall time, so a span lying in that hour measures
 * 0 (or less).
 *
 * The value is calendarMillisBetween ÷ 86 400 000: exact when it terminates (0.5, 0.25),
 * otherwise to 40 significant digits (8 hours is 0.333…); callers that need an exact ratio
 * of two lengths divide calendarMillisBetween values instead.
 */
export function calendarDaysBetween(a: DateTime, b: DateTime): Decimal {
  return new Dec(calendarMillisBetween(a, b)).div(MS_PER_CALENDAR_DAY);
}

/** calendarDaysBetween in wall-clock milliseconds: an exact integer. */
export function calendarMillisBetween(a: DateTime, b: DateTime): number {
  return wallClockMillis(b.setZone(a.zone)) - wallClockMillis(a);
}

/** The local date-time of `dt`, read as if its zone were UTC, in epoch milliseconds. */
function wallClockMillis(dt: DateTime): number {
  return dt.toMillis() + dt.offset * 60_000;
}

export type Cadence =
  { kind: 'months'; months: number } | { kind: 'days'; days: number } | { kind: 'one_off' };

/** A cadence that repeats: the step of a billing grid or of a recurring price. */
export type RecurringCadence = Exclude<Cadence, { kind: 'one_off' }>;

const CADENCE_DURATION = /^P([0-9]+)([YMWD])$/;

/**
 * Parses a billing cadence: an ISO-8601 duration with exactly one unit of years (→ 12
 * months each), months, weeks (→ 7 days each) or days; `one_off` and its synonym `P0D`.
 * Returns null for anything else (P0M, PT1H, P1M2D, lowercase, garbage).
 */
export function parseCadence(c: string): Cadence | null {
  if (c === 'one_off' || c === 'P0D') return { kind: 'one_off' };
  const match = CADENCE_DURATION.exec(c);
  if (match === null) return null;
  const count = Number.parseInt(match[1], 10);
  if (count === 0 || !Number.isSafeInteger(count * 12)) return null;
  switch (match[2]) {
    case 'Y':
      return { kind: 'months', months: count * 12 };
    case 'M':
      return { kind: 'months', months: count };
    case 'W':
      return { kind: 'days', days: count * 7 };
    default:
      return { kind: 'days', days: count };
  }
}

export function isValidCadence(c: string): boolean {
  return parseCadence(c) !== null;
}

/** Step k of a cadence from `origin` (k may be negative); see addMonthsSticky for the month rule. */
export function addCadenceSteps(origin: DateTime, cadence: RecurringCadence, k: number): DateTime {
  return cadence.kind === 'months'
    ? addMonthsSticky(origin, k * cadence.months)
    : addCalendarDays(origin, k * cadence.days);
}

/**
 * The step index k whose step contains `t`: step(k) ≤ t < step(k + 1), where
 * step(k) = addCadenceSteps(origin, cadence, k). Negative when t is before origin.
 * Starts from an estimate, so it costs a few steps however far t is from origin.
 */
export function cadenceStepIndex(origin: DateTime, cadence: RecurringCadence, t: DateTime): number {
  const step = (k: number) => addCadenceSteps(origin, cadence, k);
  const local = t.setZone(origin.zone);
  let k =
    cadence.kind === 'months'
      ? Math.floor(
          ((local.year - origin.year) * 12 + (local.month - origin.month)) / cadence.months,
        )
      : Math.floor((t.toMillis() - origin.toMillis()) / (cadence.days * MS_PER_CALENDAR_DAY));
  while (step(k) > t) k--;
  while (step(k + 1) <= t) k++;
  return k;
}

const zoneValidity = new Map<string, boolean>();

/**
 * Whether `zone` is an IANA zone this runtime knows. Cached: luxon answers by building an
 * Intl.DateTimeFormat each time, which dominated the billing-period task's profile.
 */
export function isKnownZone(zone: string): boolean {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneValidity.size < 1_000) zoneValidity.set(zone, valid);
  }
  return valid;
}
