import { DateTime, Settings, type Zone } from 'luxon';

/**
 * Calendar arithmetic on plain numbers: instants are epoch milliseconds, local date-times are
 * "wall" milliseconds (the local date-time read as if its zone were UTC), dates are days since
 * 1970-01-01. Luxon is asked only for a zone's UTC offsets, learnt once per zone and year.
 *
 * Each function reproduces, step for step, what the luxon calls of calendar.ts do (kept as the
 * reference in periods/reference/ and compared by a differential spec), including luxon's way
 * of resolving a local time that occurs twice (fall back) or never (spring forward): see
 * `fromWall`.
 */

const MS_PER_DAY = 86_400_000;

export interface ZoneClock {
  readonly zone: string;
  /** Luxon's offset of the zone at `ts`, in minutes. */
  offset(ts: number): number;
}

const clocks = new Map<string, ZoneClock>();

export function zoneClock(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (clock === undefined) {
    clock = makeClock(zone);
    if (clocks.size < 1_000) clocks.set(zone, clock);
  }
  return clock;
}

const WEEK = 7 * MS_PER_DAY;
const WEEKS_PER_BLOCK = 52;

/**
 * Offsets change a few times a year at most, so the clock learns a zone's transitions a block
 * of 52 weeks at a time: the offset at each week's start (luxon, 53 calls), and where two weeks
 * differ, the exact second of the change by bisection (luxon's offsets are per whole second).
 * Every later question is a search in that table. This assumes no zone changes its offset and
 * back within one week, which no zone in the tz database does.
 */
function makeClock(name: string): ZoneClock {
  const zone: Zone = DateTime.fromMillis(0, { zone: name }).zone;
  const blocks = new Map<number, { changes: number[]; offsets: number[] }>();
  const learn = (block: number) => {
    const blockStart = block * WEEKS_PER_BLOCK * WEEK;
    const changes = [blockStart];
    const offsets = [zone.offset(blockStart)];
    for (let week = 1; week <= WEEKS_PER_BLOCK; week++) {
      // The last probe stays inside the block: the next block's start belongs to that block.
      const probe = blockStart + week * WEEK - (week === WEEKS_PER_BLOCK ? 1000 : 0);
      const before = offsets[offsets.length - 1];
      if (zone.offset(probe) === before) continue;
      let [low, high] = [blockStart + (week - 1) * WEEK, probe];
      while (high - low > 1000) {
        const middle = low + Math.floor((high - low) / 2000) * 1000;
        if (zone.offset(middle) === before) low = middle;
        else high = middle;
      }
      changes.push(high);
      offsets.push(zone.offset(high));
    }
    const table = { changes, offsets };
    if (blocks.size >= 10_000) blocks.clear();
    blocks.set(block, table);
    return table;
  };
  const offset = (ts: number): number => {
    const block = Math.floor(ts / (WEEKS_PER_BLOCK * WEEK));
    const { changes, offsets } = blocks.get(block) ?? learn(block);
    let i = changes.length - 1;
    while (changes[i] > ts) i--;
    return offsets[i];
  };
  return { zone: name, offset };
}

/** The local date-time of instant `ts`, as wall milliseconds (luxon's tsToObj arithmetic). */
export function toWall(clock: ZoneClock, ts: number): number {
  return ts + clock.offset(ts) * 60 * 1000;
}

/**
 * The instant of wall time `wall`, starting from the guessed offset `guess` exactly as luxon's
 * fixOffset does: when the wall time occurs twice the guess decides which instant is taken, and
 * a wall time in a gap is moved forward by the gap's length.
 */
export function fromWall(clock: ZoneClock, wall: number, guess: number): number {
  let utcGuess = wall - guess * 60 * 1000;
  const o2 = clock.offset(utcGuess);
  if (guess === o2) return utcGuess;
  utcGuess -= (o2 - guess) * 60 * 1000;
  const o3 = clock.offset(utcGuess);
  if (o2 === o3) return utcGuess;
  return wall - Math.min(o2, o3) * 60 * 1000;
}

/** fromWall as DateTime.fromObject guesses: with the zone's offset now. */
export function fromWallAsLuxonObject(clock: ZoneClock, wall: number): number {
  return fromWall(clock, wall, clock.offset(Settings.now()));
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The inverse of daysFromCivil. */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function daysInMonthOf(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The local calendar date of an instant. */
export function localDate(clock: ZoneClock, ts: number): CivilDate {
  return civilFromDays(Math.floor(toWall(clock, ts) / MS_PER_DAY));
}

/** calendar.ts addMonthsSticky on epoch milliseconds. */
export function addMonthsStickyAt(clock: ZoneClock, origin: number, months: number): number {
  if (months === 0) return origin;
  const wall = toWall(clock, origin);
  const days = Math.floor(wall / MS_PER_DAY);
  const timeOfDay = wall - days * MS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const targetDay = Math.min(day, daysInMonthOf(targetYear, targetMonth));
  const targetWall = daysFromCivil(targetYear, targetMonth, targetDay) * MS_PER_DAY + timeOfDay;
  return fromWallAsLuxonObject(clock, targetWall);
}

/** calendar.ts addCalendarDays (luxon `plus({ days })`, which guesses the start's own offset). */
export function addCalendarDaysAt(clock: ZoneClock, ts: number, days: number): number {
  const offset = clock.offset(ts);
  return fromWall(clock, ts + offset * 60 * 1000 + days * MS_PER_DAY, offset);
}

export type StepCadence = { kind: 'months'; months: number } | { kind: 'days'; days: number };

/** calendar.ts addCadenceSteps on epoch milliseconds. */
export function addCadenceStepsAt(
  clock: ZoneClock,
  origin: number,
  cadence: StepCadence,
  k: number,
): number {
  return cadence.kind === 'months'
    ? addMonthsStickyAt(clock, origin, k * cadence.months)
    : addCalendarDaysAt(clock, origin, k * cadence.days);
}

/** calendar.ts cadenceStepIndex on epoch milliseconds: step(k) ≤ t < step(k + 1). */
export function cadenceStepIndexAt(
  clock: ZoneClock,
  origin: number,
  cadence: StepCadence,
  t: number,
): number {
  const step = (k: number) => addCadenceStepsAt(clock, origin, cadence, k);
  let k: number;
  if (cadence.kind === 'months') {
    const [local, from] = [localDate(clock, t), localDate(clock, origin)];
    k = Math.floor(((local.year - from.year) * 12 + (local.month - from.month)) / cadence.months);
  } else {
    k = Math.floor((t - origin) / (cadence.days * MS_PER_DAY));
  }
  while (step(k) > t) k--;
  while (step(k + 1) <= t) k++;
  return k;
}

/** Wall-clock milliseconds from `a` to `b` in the zone (calendar.ts calendarMillisBetween). */
export function wallMillisBetween(clock: ZoneClock, a: number, b: number): number {
  return b + clock.offset(b) * 60_000 - (a + clock.offset(a) * 60_000);
}

const YEAR_10000 = 253_402_300_800_000;

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** The canonical output form of an instant (calendar.ts toIsoInstant, without luxon). */
export function formatInstant(ts: number): string {
  if (ts < -62_135_596_800_000 || ts >= YEAR_10000 || !Number.isInteger(ts)) {
    return DateTime.fromMillis(ts, { zone: 'UTC' }).toISO({ suppressMilliseconds: true }) ?? '';
  }
  const days = Math.floor(ts / MS_PER_DAY);
  let rest = ts - days * MS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const millis = rest - second * 1000;
  const date = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
  const time = `${two(hour)}:${two(minute)}:${two(second)}`;
  return millis === 0 ? `${date}T${time}Z` : `${date}T${time}.${String(millis).padStart(3, '0')}Z`;
}
