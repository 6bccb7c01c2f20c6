import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  addCalendarDays,
  addMonthsSticky,
  daysInMonth,
  parseInstant,
  toIsoInstant,
} from '../calendar/calendar';

/**
 * Pricing cycles of an account schedule (Togai `pricingCycleConfig`, SPEC §4).
 *
 * Boundaries are UTC midnights. WEEKLY: every 7 days on the dayOffset weekday. MONTHLY:
 * every month on dayOffset. QUARTERLY / HALF_YEARLY / ANNUALLY: blocks of 3 / 6 / 12
 * months aligned to January, the boundary in month monthOffset of each block on dayOffset.
 * A day the month lacks takes the month's last day and the offset sticks month to month
 * (31 → Jan 31, Feb 29, Mar 31, Apr 30); LAST is the last day of the month.
 *
 * Month boundaries come from calendar.ts only: a dayOffset d (LAST ≡ 31) is an origin on
 * January d of some year, and boundary k is addMonthsSticky(origin, (monthOffset − 1) +
 * k·step), always from that one origin, so the day sticks.
 */

export const PRICING_CYCLE_INTERVALS = [
  'WEEKLY',
  'MONTHLY',
  'QUARTERLY',
  'HALF_YEARLY',
  'ANNUALLY',
] as const;
export type PricingCycleInterval = (typeof PRICING_CYCLE_INTERVALS)[number];

export const PricingCycleConfigSchema = z.strictObject({
  interval: z.enum(PRICING_CYCLE_INTERVALS),
  startOffset: z
    .strictObject({ dayOffset: z.string(), monthOffset: z.string().nullable().optional() })
    .optional()
    .meta({
      description:
        'strings per the Togai schema: dayOffset "1"–"7" / "1"–"31" / "LAST"; monthOffset "FIRST" / "LAST" / "n"',
    }),
  gracePeriod: z.number().int(),
  anniversaryCycle: z.boolean().optional(),
});
export type PricingCycleConfig = z.infer<typeof PricingCycleConfigSchema>;

/** One pricing cycle [startDate, endDate); ISO instants in UTC with `Z`. */
export interface PricingCycle {
  startDate: string;
  endDate: string;
  graceEndDate: string;
}

/** monthOffset is null for WEEKLY and MONTHLY, else 1..(months per block). */
export interface ResolvedOffsets {
  dayOffset: number | 'LAST';
  monthOffset: number | null;
}

export const MAX_PRICING_CYCLES = 100;

/** gracePeriod is an int32 in the Togai schema. */
const MAX_GRACE_PERIOD = 2_147_483_647;

/** Months per block; WEEKLY has no months. */
const MONTHS_PER_CYCLE: Record<Exclude<PricingCycleInterval, 'WEEKLY'>, number> = {
  MONTHLY: 1,
  QUARTERLY: 3,
  HALF_YEARLY: 6,
  ANNUALLY: 12,
};

const CONFIG_KEYS = new Set(['interval', 'startOffset', 'gracePeriod', 'anniversaryCycle']);
const START_OFFSET_KEYS = new Set(['dayOffset', 'monthOffset']);
/** "1"–"99" without a sign, leading zero, blank or fraction; the range is checked separately. */
const SMALL_POSITIVE_INTEGER = /^[1-9][0-9]?$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isInterval = (v: unknown): v is PricingCycleInterval =>
  typeof v === 'string' && (PRICING_CYCLE_INTERVALS as readonly string[]).includes(v);

/** Months in one block of a month-based interval; null for WEEKLY. */
function blockMonths(interval: PricingCycleInterval): number | null {
  return interval === 'WEEKLY' ? null : MONTHS_PER_CYCLE[interval];
}

/** "LAST" or an integer string in 1..max; null when the string is neither. */
function parseDayOffset(s: string, max: number): number | 'LAST' | null {
  if (s === 'LAST') return 'LAST';
  if (!SMALL_POSITIVE_INTEGER.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
}

/** "FIRST" → 1, "LAST" → max, an integer string in 1..max → itself; null otherwise. */
function parseMonthOffset(s: string, max: number): number | null {
  if (s === 'FIRST') return 1;
  if (s === 'LAST') return max;
  if (!SMALL_POSITIVE_INTEGER.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
}

/**
 * Field-level problems with a config, field paths relative to the config (e.g.
 * "startOffset.dayOffset"); a config that is not an object is reported on field "".
 * [] = valid. Every problem is reported, not just the first.
 */
export function validatePricingCycleConfig(config: unknown): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  if (!isRecord(config)) {
    fail('', 'must be an object');
    return errors;
  }
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.has(key)) fail(key, 'is not allowed');
  }

  const { interval, startOffset, gracePeriod, anniversaryCycle } = config;
  const knownInterval = isInterval(interval) ? interval : null;
  if (interval === undefined) fail('interval', 'is required');
  else if (knownInterval === null)
    fail('interval', `must be one of ${PRICING_CYCLE_INTERVALS.join(', ')}`);

  if (gracePeriod === undefined) fail('gracePeriod', 'is required');
  else if (
    typeof gracePeriod !== 'number' ||
    !Number.isInteger(gracePeriod) ||
    gracePeriod < 0 ||
    gracePeriod > MAX_GRACE_PERIOD
  )
    fail('gracePeriod', `must be an integer from 0 to ${MAX_GRACE_PERIOD}`);

  if (anniversaryCycle !== undefined && typeof anniversaryCycle !== 'boolean')
    fail('anniversaryCycle', 'must be a boolean');

  if (startOffset === undefined) return errors;
  if (!isRecord(startOffset)) {
    fail('startOffset', 'must be an object');
    return errors;
  }
  for (const key of Object.keys(startOffset)) {
    if (!START_OFFSET_KEYS.has(key)) fail(`startOffset.${key}`, 'is not allowed');
  }

  // With an unknown interval only the loosest ranges are checked (days 1–31, months 1–12),
  // and whether monthOffset is required or forbidden is left open.
  const { dayOffset, monthOffset } = startOffset;
  const maxDay = knownInterval === 'WEEKLY' ? 7 : 31;
  if (dayOffset === undefined) fail('startOffset.dayOffset', 'is required');
  else if (typeof dayOffset !== 'string' || parseDayOffset(dayOffset, maxDay) === null)
    fail(
      'startOffset.dayOffset',
      knownInterval === 'WEEKLY'
        ? 'must be "1" to "7" (Monday to Sunday) or "LAST" for WEEKLY'
        : 'must be "1" to "31" or "LAST"',
    );

  const months = knownInterval === null ? 12 : blockMonths(knownInterval);
  if (months === null || months === 1) {
    if (monthOffset !== undefined && monthOffset !== null)
      fail('startOffset.monthOffset', `must be omitted for ${knownInterval}`);
  } else if (monthOffset === undefined || monthOffset === null) {
    if (knownInterval !== null) fail('startOffset.monthOffset', `is required for ${knownInterval}`);
  } else if (typeof monthOffset !== 'string' || parseMonthOffset(monthOffset, months) === null) {
    fail(
      'startOffset.monthOffset',
      `must be "FIRST", "LAST" or "1" to "${months}"${knownInterval === null ? '' : ` for ${knownInterval}`}`,
    );
  }
  return errors;
}

function assertValid(config: PricingCycleConfig): void {
  const errors = validatePricingCycleConfig(config);
  if (errors.length > 0) {
    throw new RangeError(
      `invalid pricing cycle config: ${errors.map((e) => `${e.field || '(config)'} ${e.message}`).join('; ')}`,
    );
  }
}

/**
 * The offsets in force. With `anniversaryCycle: true` they are derived from the UTC date of
 * `scheduleStart` (overriding any startOffset): WEEKLY → ISO weekday (Mon = 1 … Sun = 7);
 * MONTHLY → day of month, a 31st → LAST; QUARTERLY / HALF_YEARLY / ANNUALLY → the start
 * month's position in its block and the day, where a 31st and the last day of February
 * (28 or 29) → LAST. Otherwise from startOffset (FIRST → 1, LAST → months per block), or
 * {1, 1} when it is absent ({1, null} for WEEKLY and MONTHLY).
 * Throws RangeError on an invalid config or instant.
 */
export function resolveOffsets(config: PricingCycleConfig, scheduleStart: string): ResolvedOffsets {
  assertValid(config);
  const months = blockMonths(config.interval);
  const start = parseInstant(scheduleStart, 'UTC');
  return resolveValidOffsets(config, months, start);
}

function resolveValidOffsets(
  config: PricingCycleConfig,
  months: number | null,
  start: DateTime,
): ResolvedOffsets {
  const blockOffset = (value: number) => (months === null || months === 1 ? null : value);
  if (config.anniversaryCycle === true) {
    if (months === null) return { dayOffset: start.weekday, monthOffset: null };
    const lastOfFebruary = start.month === 2 && start.day === daysInMonth(start.year, 2);
    const isLast = start.day === 31 || (months > 1 && lastOfFebruary);
    return {
      dayOffset: isLast ? 'LAST' : start.day,
      monthOffset: blockOffset(((start.month - 1) % months) + 1),
    };
  }
  const offset = config.startOffset;
  if (offset === undefined) return { dayOffset: 1, monthOffset: blockOffset(1) };
  const dayOffset = parseDayOffset(offset.dayOffset, months === null ? 7 : 31);
  const monthOffset =
    months === null || months === 1 ? null : parseMonthOffset(offset.monthOffset ?? '', months);
  if (dayOffset === null || (months !== null && months > 1 && monthOffset === null)) {
    throw new RangeError('unreachable: startOffset passed validation but does not parse');
  }
  return { dayOffset, monthOffset };
}

/**
 * The boundaries strictly after `t`: boundary(0) is the first, boundary(i) the i-th after it.
 */
function boundariesAfter(
  interval: PricingCycleInterval,
  offsets: ResolvedOffsets,
  t: DateTime,
): (i: number) => DateTime {
  const months = blockMonths(interval);
  if (months === null) {
    const weekday = offsets.dayOffset === 'LAST' ? 7 : offsets.dayOffset;
    let first = addCalendarDays(t.startOf('day'), (weekday - t.weekday + 7) % 7);
    if (first.toMillis() <= t.toMillis()) first = addCalendarDays(first, 7);
    return (i) => addCalendarDays(first, 7 * i);
  }

  // LAST ≡ 31: clamped by addMonthsSticky to the last day of every month.
  const day = offsets.dayOffset === 'LAST' ? 31 : offsets.dayOffset;
  const origin = DateTime.fromObject({ year: t.year, month: 1, day }, { zone: 'UTC' });
  const shift = (offsets.monthOffset ?? 1) - 1;
  const at = (k: number) => addMonthsSticky(origin, shift + k * months);
  const after = (k: number) => at(k).toMillis() > t.toMillis();
  // Estimate from the month distance, then settle on the smallest k with at(k) > t.
  let k = Math.floor((t.month - 1 - shift) / months);
  while (after(k - 1)) k--;
  while (!after(k)) k++;
  const first = k;
  return (i) => at(first + i);
}

/**
 * Up to `count` cycles of a schedule [scheduleStart, scheduleEnd) (scheduleEnd may be
 * 9999-01-01T00:00:00Z = open-ended). The first cycle starts at scheduleStart and ends at
 * the first boundary strictly after it (a stub when scheduleStart is not on a boundary);
 * then boundary to boundary; the last is clipped at scheduleEnd. graceEndDate = endDate +
 * gracePeriod calendar days. An empty schedule (end = start) has no cycles.
 * Throws RangeError on an invalid config or instant, a count outside 1–100, or an end
 * before the start.
 */
export function pricingCycles(
  config: PricingCycleConfig,
  scheduleStart: string,
  scheduleEnd: string,
  count: number,
): PricingCycle[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PRICING_CYCLES) {
    throw new RangeError(`count must be an integer from 1 to ${MAX_PRICING_CYCLES}, got ${count}`);
  }
  assertValid(config);
  const start = parseInstant(scheduleStart, 'UTC');
  const end = parseInstant(scheduleEnd, 'UTC');
  if (end.toMillis() < start.toMillis()) {
    throw new RangeError(`scheduleEnd ${scheduleEnd} is before scheduleStart ${scheduleStart}`);
  }

  const offsets = resolveValidOffsets(config, blockMonths(config.interval), start);
  const boundary = boundariesAfter(config.interval, offsets, start);
  const cycles: PricingCycle[] = [];
  let from = start;
  for (let i = 0; cycles.length < count && from.toMillis() < end.toMillis(); i++) {
    const next = boundary(i);
    const to = next.toMillis() < end.toMillis() ? next : end;
    const graceEnd = addCalendarDays(to, config.gracePeriod);
    if (!graceEnd.isValid) {
      throw new RangeError(
        `graceEndDate of the cycle ending ${toIsoInstant(to)} is beyond the representable range`,
      );
    }
    cycles.push({
      startDate: toIsoInstant(from),
      endDate: toIsoInstant(to),
      graceEndDate: toIsoInstant(graceEnd),
    });
    from = to;
  }
  return cycles;
}
