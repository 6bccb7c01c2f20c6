/**
 * The engine's two baselines (issue 9). Both compute the same boundary work for a schedule: the
 * period boundaries of the schedule and of each interval's cadence (anchored on the start,
 * day of month sticky, time of day kept, in the schedule's zone), and each period's length in
 * local calendar days (fractional), which daily proration divides by. The output is a flat
 * list of numbers, so the two loops can be checked for identical output in the same run.
 */
import { DateTime } from 'luxon';

export interface BoundaryWork {
  zone: string;
  /** [start, end) UTC instants (ISO) and the step in months, one per series. */
  series: { start: string; end: string; months: number }[];
}

const DAY_MS = 86_400_000;

/** luxon only: DateTime#plus of whole months from the anchor, offsets from luxon. */
export function luxonBoundaries(work: BoundaryWork): number[] {
  const out: number[] = [];
  for (const { start, end, months } of work.series) {
    const anchor = DateTime.fromISO(start, { zone: work.zone });
    const endMs = DateTime.fromISO(end).toMillis();
    let previous = anchor;
    for (let k = 1; ; k++) {
      const next = anchor.plus({ months: k * months });
      const boundary =
        next.toMillis() < endMs ? next : DateTime.fromMillis(endMs, { zone: work.zone });
      out.push(boundary.toMillis());
      const wall = (t: DateTime) => t.toMillis() + t.offset * 60_000;
      out.push((wall(boundary) - wall(previous)) / DAY_MS);
      if (boundary.toMillis() >= endMs) break;
      previous = boundary;
    }
  }
  return out;
}

/**
 * Plain integers: civil dates as days since the epoch, the sticky day clamped by arithmetic,
 * and luxon asked only for the zone's UTC offset, cached per zone and local wall minute.
 */
export function integerBoundaries(work: BoundaryWork, offsets: OffsetCache): number[] {
  const out: number[] = [];
  for (const { start, end, months } of work.series) {
    const startMs = Date.parse(start);
    const endMs = Date.parse(end);
    const startWall = startMs + offsets.offsetAtInstant(work.zone, startMs);
    const days = Math.floor(startWall / DAY_MS);
    const timeOfDay = startWall - days * DAY_MS;
    const [year, month, day] = civilFromDays(days);
    let previousWall = startWall;
    for (let k = 1; ; k++) {
      const monthIndex = month - 1 + k * months;
      const y = year + Math.floor(monthIndex / 12);
      const m = (monthIndex % 12) + 1;
      const wall = daysFromCivil(y, m, Math.min(day, daysInMonth(y, m))) * DAY_MS + timeOfDay;
      let boundary = wall - offsets.offsetAtWall(work.zone, wall, startWall - startMs);
      if (boundary >= endMs) boundary = endMs;
      const boundaryWall = boundary + offsets.offsetAtInstant(work.zone, boundary);
      out.push(boundary);
      out.push((boundaryWall - previousWall) / DAY_MS);
      if (boundary >= endMs) break;
      previousWall = boundaryWall;
    }
  }
  return out;
}

/** Offsets in ms, from luxon, remembered per zone and minute. */
export class OffsetCache {
  private readonly offsets = new Map<string, number>();

  offsetAtInstant(zone: string, ms: number): number {
    const key = `${zone}|${ms / 60_000}`;
    let offset = this.offsets.get(key);
    if (offset === undefined) {
      offset = DateTime.fromMillis(ms, { zone }).offset * 60_000;
      this.offsets.set(key, offset);
    }
    return offset;
  }

  /**
   * The offset of a local wall time, resolved as luxon resolves it from a provisional offset
   * (DateTime#plus passes the anchor's): a repeated hour takes the provisional side, a skipped
   * hour moves forward.
   */
  offsetAtWall(zone: string, wallMs: number, provisional: number): number {
    const guess = wallMs - provisional;
    const o2 = this.offsetAtInstant(zone, guess);
    if (o2 === provisional) return provisional;
    const o3 = this.offsetAtInstant(zone, guess - (o2 - provisional));
    if (o2 === o3) return o2;
    return Math.min(o2, o3);
  }
}

const daysInMonth = (y: number, m: number) =>
  m === 2
    ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(m)
      ? 30
      : 31;

/** Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(z: number): [number, number, number] {
  const shifted = z + 719_468;
  const era = Math.floor(shifted / 146_097);
  const doe = shifted - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}
