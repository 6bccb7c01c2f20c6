import { DateTime } from 'luxon';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A UTC day in the canonical form `YYYY-MM-DDT00:00:00Z`, from `YYYY-MM-DD` or from an
 * RFC 3339 date-time that is exactly midnight UTC (any offset). Null for anything else.
 */
export function toUtcDay(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const day = value.match(DAY);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const dt = DateTime.utc(year, month, date);
    return dt.isValid && dt.day === date && year >= 1 ? `${value}T00:00:00Z` : null;
  }
  if (!DATE_TIME.test(value)) return null;
  const dt = DateTime.fromISO(value, { setZone: true }).toUTC();
  if (!dt.isValid || dt.hour !== 0 || dt.minute !== 0 || dt.second !== 0 || dt.millisecond !== 0) {
    return null;
  }
  return `${dt.toFormat('yyyy-MM-dd')}T00:00:00Z`;
}

/**
 * An instant in the canonical output form (UTC, `Z`, milliseconds only when non-zero), from
 * `YYYY-MM-DD` (midnight UTC) or any RFC 3339 date-time. Null for anything else.
 */
export function toUtcInstant(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (DAY.test(value)) return toUtcDay(value);
  if (!DATE_TIME.test(value)) return null;
  const dt = DateTime.fromISO(value, { setZone: true });
  return dt.isValid ? dt.toUTC().toISO({ suppressMilliseconds: true }) : null;
}

/** Canonical days are compared as numbers, like every instant in this service. */
export const epochOf = (iso: string): number => Date.parse(iso);
