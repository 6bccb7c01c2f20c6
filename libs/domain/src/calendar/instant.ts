import { DateTime } from 'luxon';
import { daysInMonth, toIsoInstant } from './calendar';

/**
 * The one validator of instants the service accepts (bodies, query strings, the task):
 * RFC 3339 `YYYY-MM-DDTHH:MM:SS(.fraction)?(Z|±HH:MM)` with year 0001–9999, hours 00–23,
 * minutes and seconds 00–59, an offset within ±23:59 and a real calendar date. Luxon alone
 * would take `+24:00`, `T24:00` and year 0000 and shift them silently.
 */
export const STRICT_INSTANT_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,9})?([Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** The shape part of the rule as an OpenAPI `pattern` (the calendar checks are in the code). */
export const STRICT_INSTANT_PATTERN_SOURCE =
  '^\\d{4}-\\d{2}-\\d{2}[Tt]([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?([Zz]|[+-]([01]\\d|2[0-3]):[0-5]\\d)$';

export const STRICT_INSTANT_MESSAGE =
  'must be an RFC 3339 date-time with Z or an offset within ±23:59 (year 0001–9999)';

export type InstantParse = { ok: true; value: DateTime } | { ok: false; message: string };

export function parseStrictInstant(text: unknown): InstantParse {
  if (typeof text !== 'string') return { ok: false, message: STRICT_INSTANT_MESSAGE };
  const match = STRICT_INSTANT_PATTERN.exec(text);
  if (!match) return { ok: false, message: STRICT_INSTANT_MESSAGE };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, message: 'must be a real calendar date (year 0001–9999)' };
  }
  const value = DateTime.fromISO(text, { setZone: true });
  if (!value.isValid) return { ok: false, message: STRICT_INSTANT_MESSAGE };
  // 0001-01-01T00:00:00+01:00 is in year 0000 in UTC, 9999-12-31T23:00:00-02:00 in 10000.
  const utcYear = value.toUTC().year;
  if (utcYear < 1 || utcYear > 9999) {
    return { ok: false, message: 'must lie within the years 0001–9999 in UTC' };
  }
  return { ok: true, value };
}

export function isStrictInstant(text: unknown): text is string {
  // Fast path for UTC, the form of every instant the service writes (events are checked in
  // bulk): with `Z` the UTC year is the written one, so the pattern and the calendar check
  // are the whole rule and Luxon is not needed.
  if (typeof text === 'string' && /[Zz]$/.test(text)) {
    const match = STRICT_INSTANT_PATTERN.exec(text);
    if (!match) return false;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  }
  return parseStrictInstant(text).ok;
}

/** The canonical output form of a strict instant (UTC, `Z`, milliseconds only when non-zero). */
export function toCanonicalInstant(text: string): string {
  const parsed = parseStrictInstant(text);
  if (!parsed.ok) throw new RangeError(`"${text}" ${parsed.message}`);
  return toIsoInstant(parsed.value);
}
