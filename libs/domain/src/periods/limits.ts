import type { DateTime } from 'luxon';
import type { ScheduleInterval, ScheduleTerms } from '../billing-schedule/billing-schedule.types';
import { parseCadence, parseInstant } from '../calendar/calendar';
import { instantIn } from './instant-memo';
import type { FieldError } from '../domain-error';
import { periodSequence, validateTerms, type PeriodSequence } from './period-engine';

/**
 * Hard limits no honest schedule reaches; they keep every request's work and answer within a
 * small fixed budget (docs/decisions.md, "Bounded work"). Checked when terms or intervals are
 * written, so a stored schedule never exceeds them.
 */
export const SCHEDULE_LIMITS = {
  /** 1,000 years of monthly periods with room for stubs; 15,000 years of yearly ones. */
  periods: 15_000,
  /** Invoice lines of one period: the SPEC's 1,000 intervals of one PUT, each billed once. */
  linesPerPeriod: 1_000,
  /** Invoice lines of all periods: 1,000 lines monthly for 2 years, or 100 for 20 years. */
  lines: 25_000,
} as const;

/** Upper bounds on a schedule's invoice lines, per period and in total. */
export interface LineEstimate {
  total: number;
  /** The most lines of any one period, and that period's index. */
  busiestPeriod: { index: number; lines: number };
  /** An upper bound on the lines of each period, by index (0 = the period has no line). */
  perPeriod: Int32Array;
}

/**
 * Counts the lines intervalLines can produce without computing any: a recurring interval has
 * at most one line per period it overlaps, plus (with daily proration) one more per quantity
 * transition; a one-off has one line in the period of its billDate. O(periods + intervals +
 * transitions); never below the real count (a transition that keeps the quantity cuts nothing).
 */
export function estimateLines(
  terms: ScheduleTerms,
  intervals: readonly ScheduleInterval[],
  sequence: PeriodSequence = periodSequence(terms),
): LineEstimate {
  const zone = terms.timezone;
  const scheduleStart = parseInstant(terms.startDate, zone);
  const scheduleEnd = parseInstant(terms.endDate, zone);
  const inSchedule = (t: number) => t >= +scheduleStart && t < +scheduleEnd;
  // Bulk intervals share their dates; each distinct instant is located once.
  const located = new Map<number, number>();
  const indexAt = (t: DateTime) => {
    let index = located.get(+t);
    if (index === undefined) located.set(+t, (index = sequence.indexAt(t)));
    return index;
  };
  // Difference array: +n at the first period of a run, −n after its last.
  const steps = new Int32Array(sequence.count + 1);
  const add = (from: number, to: number, lines = 1) => {
    steps[from] += lines;
    steps[to + 1] -= lines;
  };
  for (const interval of intervals) {
    if (parseCadence(interval.billingCadence)?.kind === 'one_off') {
      const billed = instantIn(interval.billDate ?? interval.startDate, zone);
      if (inSchedule(+billed)) add(indexAt(billed), indexAt(billed));
      continue;
    }
    const start = instantIn(interval.startDate, zone);
    const end = instantIn(interval.endDate, zone);
    const from = start > scheduleStart ? start : scheduleStart;
    const to = end < scheduleEnd ? end : scheduleEnd;
    if (from >= to) continue;
    // Instants have millisecond resolution, so to − 1 ms is the last instant in [from, to).
    add(indexAt(from), indexAt(to.minus(1)));
    if (terms.prorationPolicy !== 'daily') continue;
    for (const transition of interval.quantityTransitions) {
      const effective = instantIn(transition.effectiveDate, zone);
      if (from < effective && effective < to) {
        const index = indexAt(effective);
        add(index, index);
      }
    }
  }
  const perPeriod = new Int32Array(sequence.count);
  let running = 0;
  let total = 0;
  const busiestPeriod = { index: 0, lines: 0 };
  for (let index = 0; index < sequence.count; index++) {
    running += steps[index];
    perPeriod[index] = running;
    total += running;
    if (running > busiestPeriod.lines) Object.assign(busiestPeriod, { index, lines: running });
  }
  return { total, busiestPeriod, perPeriod };
}

/**
 * The limits the terms and intervals exceed, as field errors: `periodsField` names the term
 * that makes too many periods, `linesField` what makes too many lines. Empty when the terms
 * are invalid (validateTerms reports that) or within every limit.
 */
export function scheduleLimitErrors(
  terms: ScheduleTerms,
  intervals: readonly ScheduleInterval[],
  fields: { periods: string; lines: string },
): FieldError[] {
  if (validateTerms(terms).length > 0) return [];
  const sequence = periodSequence(terms);
  if (sequence.count > SCHEDULE_LIMITS.periods) {
    return [
      {
        field: fields.periods,
        message: `these terms make ${sequence.count} periods; a schedule has at most ${SCHEDULE_LIMITS.periods} periods`,
      },
    ];
  }
  if (intervals.length === 0) return [];
  const { total, busiestPeriod } = estimateLines(terms, intervals, sequence);
  const errors: FieldError[] = [];
  if (total > SCHEDULE_LIMITS.lines) {
    errors.push({
      field: fields.lines,
      message: `these intervals make up to ${total} invoice lines over the schedule's ${sequence.count} periods; a schedule has at most ${SCHEDULE_LIMITS.lines} invoice lines`,
    });
  }
  if (busiestPeriod.lines > SCHEDULE_LIMITS.linesPerPeriod) {
    errors.push({
      field: fields.lines,
      message: `these intervals make up to ${busiestPeriod.lines} invoice lines in period ${busiestPeriod.index}; a period has at most ${SCHEDULE_LIMITS.linesPerPeriod} invoice lines`,
    });
  }
  return errors;
}
