/**
 * Epoch milliseconds of an ISO instant, for range queries and sorting (canonical instants may
 * carry milliseconds, so their strings do not sort as instants); null when absent or invalid.
 */
export function epochMs(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}
