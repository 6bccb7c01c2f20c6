import type { DateTime } from 'luxon';
import { parseInstant, toIsoInstant } from '../calendar/calendar';

/**
 * Parsing and formatting instants with luxon dominate the cost of a line and of the limit
 * check; a period's lines and a PUT's intervals share most of their instants (the period's
 * bounds, the intervals' dates), so both are memoised. DateTimes are immutable, so sharing one is safe; the caches are bounded.
 */
const MEMO_CAPACITY = 10_000;
const parsedInstants = new Map<string, DateTime>();
const formattedInstants = new Map<number, string>();

export function instantIn(iso: string, zone: string): DateTime {
  const key = `${zone} ${iso}`;
  let dt = parsedInstants.get(key);
  if (dt === undefined) {
    if (parsedInstants.size >= MEMO_CAPACITY) parsedInstants.clear();
    parsedInstants.set(key, (dt = parseInstant(iso, zone)));
  }
  return dt;
}

export function isoOf(dt: DateTime): string {
  const millis = dt.toMillis();
  let iso = formattedInstants.get(millis);
  if (iso === undefined) {
    if (formattedInstants.size >= MEMO_CAPACITY) formattedInstants.clear();
    formattedInstants.set(millis, (iso = toIsoInstant(dt)));
  }
  return iso;
}
