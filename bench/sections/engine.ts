import { performance } from 'node:perf_hooks';
import { billingPeriods, type BillingSchedule } from '@app/domain';
import {
  decidedSchedule,
  newScheduleId,
  scheduleShape,
  variedStart,
  ZONE,
} from '../support/fixtures';
import { log } from '../support/processes';
import { fmt, measured, type Row } from '../support/report';
import {
  integerBoundaries,
  luxonBoundaries,
  OffsetCache,
  type BoundaryWork,
} from '../substrate/calendar-loops';

const cadenceMonths = (cadence: string) => ({ P1M: 1, P3M: 3 })[cadence] ?? NaN;

/** Schedules per second of `work` over every schedule, after one warm-up pass over a tenth. */
function rate<T>(items: readonly T[], work: (item: T) => unknown): number {
  for (const item of items.slice(0, Math.ceil(items.length / 10))) work(item);
  const started = performance.now();
  for (const item of items) work(item);
  return (items.length / (performance.now() - started)) * 1000;
}

/**
 * The period engine (periods, lines, amounts) on `count` distinct schedules of the issue's
 * shape, against the luxon-only and the integer boundary loops on the same schedules.
 */
export function engineRows(count: number): Row[] {
  log(`engine: ${count} schedules`);
  const schedules: BillingSchedule[] = Array.from(
    { length: count },
    (_, i) =>
      decidedSchedule(
        newScheduleId(),
        'bench',
        scheduleShape(variedStart(i)),
        '2023-12-15T00:00:00Z',
        false,
      ).state,
  );
  const work: BoundaryWork[] = schedules.map((s) => ({
    zone: ZONE,
    series: [
      { start: s.startDate, end: s.endDate, months: 1 },
      ...s.intervals.map((i) => ({
        start: i.startDate,
        end: i.endDate,
        months: cadenceMonths(i.billingCadence),
      })),
    ],
  }));
  const offsets = new OffsetCache();
  const mismatch = work.findIndex((w) => {
    const a = luxonBoundaries(w);
    const b = integerBoundaries(w, offsets);
    return a.length !== b.length || a.some((x, i) => x !== b[i]);
  });
  if (mismatch >= 0)
    throw new Error(`integer loop differs from the luxon loop on schedule ${mismatch}`);
  const periods = billingPeriods(schedules[0], schedules[0].intervals);

  const engine = rate(schedules, (s) => billingPeriods(s, s.intervals));
  const luxon = rate(work, luxonBoundaries);
  const integer = rate(work, (w) => integerBoundaries(w, offsets));
  const name = `period engine, ${fmt(count)} schedules (3 y monthly: ${periods.length} periods, 3 intervals, 1 transition, daily, ${ZONE})`;
  return [
    measured({
      name,
      value: `${fmt(engine)} schedules/s`,
      baseline: `luxon-only boundary loop: ${fmt(luxon)}/s`,
      ratio: engine / luxon,
      target: '≥ 1.0',
      met: engine / luxon >= 1,
      figures: { schedules: count, enginePerSecond: engine, luxonLoopPerSecond: luxon },
    }),
    measured({
      name: '  same, against plain integers',
      value: `${fmt(engine)} schedules/s`,
      baseline: `integer calendar loop (identical output to luxon's): ${fmt(integer)}/s`,
      ratio: engine / integer,
      target: '',
      figures: { enginePerSecond: engine, integerLoopPerSecond: integer },
    }),
  ];
}
