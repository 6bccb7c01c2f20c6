import { daysInMonth } from '../calendar/calendar';
import { parseStrictInstant } from '../calendar/instant';

const YEAR_MONTH_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A UTC day in the canonical form `YYYY-MM-DDT00:00:00Z`, from `YYYY-MM-DD` (year 0001–9999,
 * a real date) or from a strict instant that is exactly midnight UTC. Null for anything else.
 */
export function toUtcDay(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const day = YEAR_MONTH_DAY.exec(value);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const real = year >= 1 && month >= 1 && month <= 12 && date >= 1;
    return real && date <= daysInMonth(year, month) ? `${value}T00:00:00Z` : null;
  }
  const parsed = parseStrictInstant(value);
  if (!parsed.ok) return null;
  const utc = parsed.value.toUTC();
  if (utc.hour !== 0 || utc.minute !== 0 || utc.second !== 0 || utc.millisecond !== 0) return null;
  return `${utc.toFormat('yyyy-MM-dd')}T00:00:00Z`;
}

/**
 * An instant in the canonical output form (UTC, `Z`, milliseconds only when non-zero), from
 * `YYYY-MM-DD` (midnight UTC) or a strict instant. Null for anything else.
 */
export function toUtcInstant(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (YEAR_MONTH_DAY.test(value)) return toUtcDay(value);
  const parsed = parseStrictInstant(value);
  return parsed.ok ? parsed.value.toUTC().toISO({ suppressMilliseconds: true }) : null;
}

/** Canonical days are compared as numbers, like every instant in this service. */
export const epochOf = (iso: string): number => Date.parse(iso);
