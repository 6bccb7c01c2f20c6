import { DateTime } from 'luxon';
import {
  ALIGNMENT_POLICIES,
  PERIOD_PRESETS,
  PRORATION_POLICIES,
  type PeriodPreset,
  type ScheduleTerms,
} from '../billing-schedule/billing-schedule.types';
import {
  addCadenceSteps,
  cadenceStepIndex,
  isKnownZone,
  parseInstant,
  toIsoInstant,
} from '../calendar/calendar';
import { ValidationFailed, type FieldError } from '../domain-error';

export interface SchedulePeriod {
  index: number;
  startDate: string;
  endDate: string;
  isStub: boolean;
  /** The grid cell (full step period) containing this period; null for single/custom. */
  fullStart: string | null;
  fullEnd: string | null;
}

/** A full step period of the grid: [start, end), `months` long. */
export interface GridCell {
  start: DateTime;
  end: DateTime;
  months: number;
}

/** A period as DateTimes in the schedule's zone (SchedulePeriod before formatting). */
export interface PeriodSpan {
  index: number;
  start: DateTime;
  end: DateTime;
  isStub: boolean;
  /** null for single/custom periods, which have no grid. */
  cell: GridCell | null;
}

const STEP_MONTHS: Record<Exclude<PeriodPreset, 'single' | 'custom'>, number> = {
  P1M: 1,
  P3M: 3,
  P6M: 6,
  P1Y: 12,
};

/** The schedule's periods: half-open, tiling [startDate, endDate) exactly, as UTC instants. */
export function computePeriods(terms: ScheduleTerms): SchedulePeriod[] {
  return periodSpans(terms).map(formatSpan);
}

function formatSpan(period: PeriodSpan): SchedulePeriod {
  return {
    index: period.index,
    startDate: toIsoInstant(period.start),
    endDate: toIsoInstant(period.end),
    isStub: period.isStub,
    fullStart: period.cell && toIsoInstant(period.cell.start),
    fullEnd: period.cell && toIsoInstant(period.cell.end),
  };
}

/** computePeriods before formatting; throws ValidationFailed when the terms are invalid. */
export function periodSpans(terms: ScheduleTerms): PeriodSpan[] {
  const sequence = periodSequence(terms);
  return sequence.spans(0, sequence.count);
}

/**
 * The schedule's periods addressed by index, so that a page, a slice to close or a count
 * costs work in proportion to what is asked for, not to the schedule's length: on a grid,
 * period i is the cell k0 + i and every boundary is computed from the origin directly.
 */
export interface PeriodSequence {
  /** How many periods the schedule has (exact). */
  readonly count: number;
  /** Periods with index in [from, to), clamped to [0, count). */
  spans(from: number, to: number): PeriodSpan[];
  /** The index of the period containing `t`, clamped to [0, count − 1]. */
  indexAt(t: DateTime): number;
}

/** Throws ValidationFailed when the terms are invalid. */
export function periodSequence(terms: ScheduleTerms): PeriodSequence {
  const errors = validateTerms(terms);
  if (errors.length > 0) throw new ValidationFailed(errors);

  const zone = terms.timezone;
  const start = parseInstant(terms.startDate, zone);
  const end = parseInstant(terms.endDate, zone);
  switch (terms.periodPreset) {
    case 'single':
      return listSequence([{ index: 0, start, end, isStub: false, cell: null }]);
    case 'custom':
      return listSequence(
        terms.customPeriodWindows.map((window, index) => ({
          index,
          start: parseInstant(window.startDate, zone),
          end: parseInstant(window.endDate, zone),
          isStub: false,
          cell: null,
        })),
      );
    default:
      return gridSequence(
        start,
        end,
        gridOrigin(terms, start, end),
        STEP_MONTHS[terms.periodPreset],
      );
  }
}

function listSequence(periods: PeriodSpan[]): PeriodSequence {
  return {
    count: periods.length,
    spans: (from, to) => periods.slice(Math.max(from, 0), Math.max(to, 0)),
    indexAt: (t) => {
      // The last period starting at or before t (periods are ordered and contiguous).
      let [low, high] = [0, periods.length - 1];
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (periods[middle].start <= t) low = middle;
        else high = middle - 1;
      }
      return low;
    },
  };
}

/** Grid boundaries are addMonthsSticky(origin, k · step) for every integer k. */
function gridOrigin(terms: ScheduleTerms, start: DateTime, end: DateTime): DateTime {
  switch (terms.alignmentPolicy) {
    case 'anchor':
      return parseInstant(terms.billingAnchor, terms.timezone);
    case 'calendar':
      // Local midnight, Jan 1: steps of 1/3/6/12 months land on the 1st of each month,
      // Jan/Apr/Jul/Oct, Jan/Jul and Jan.
      return DateTime.fromObject({ year: start.year, month: 1, day: 1 }, { zone: terms.timezone });
    case 'coterm':
      return end;
  }
}

/**
 * Intersects [start, end) with each grid cell it touches. A period is a stub when it is not
 * a whole cell: the leading stub's cell ends at the first boundary after start, the
 * trailing stub's cell starts at the last boundary before end.
 */
function gridSequence(
  start: DateTime,
  end: DateTime,
  origin: DateTime,
  stepMonths: number,
): PeriodSequence {
  const step = { kind: 'months', months: stepMonths } as const;
  const boundary = (k: number) => addCadenceSteps(origin, step, k);
  const firstCell = cadenceStepIndex(origin, step, start);
  // The cell containing end, unless end is its boundary: then the one before it is the last.
  const endCell = cadenceStepIndex(origin, step, end);
  const lastCell = +boundary(endCell) === +end ? endCell - 1 : endCell;
  const count = lastCell - firstCell + 1;
  return {
    count,
    spans: (from, to) => {
      const periods: PeriodSpan[] = [];
      const last = Math.min(to, count);
      let cellStart = boundary(firstCell + Math.max(from, 0));
      for (let index = Math.max(from, 0); index < last; index++) {
        const cell = { start: cellStart, end: boundary(firstCell + index + 1), months: stepMonths };
        const cutAtStart = cell.start < start;
        const cutAtEnd = cell.end > end;
        periods.push({
          index,
          start: cutAtStart ? start : cell.start,
          end: cutAtEnd ? end : cell.end,
          isStub: cutAtStart || cutAtEnd,
          cell,
        });
        cellStart = cell.end;
      }
      return periods;
    },
    indexAt: (t) => Math.min(Math.max(cadenceStepIndex(origin, step, t) - firstCell, 0), count - 1),
  };
}

/** Field errors of the period-shaping terms; empty when computePeriods can run. */
export function validateTerms(terms: ScheduleTerms): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const oneOf = (field: keyof ScheduleTerms, allowed: readonly string[]) => {
    if (!allowed.includes(terms[field] as string))
      fail(field, `must be one of ${allowed.join(', ')}`);
  };

  if (!isKnownZone(terms.timezone)) {
    fail('timezone', 'must be an IANA time zone name (e.g. UTC, Europe/Berlin)');
  }
  oneOf('alignmentPolicy', ALIGNMENT_POLICIES);
  oneOf('prorationPolicy', PRORATION_POLICIES);
  oneOf('periodPreset', PERIOD_PRESETS);
  const { paymentTermDays } = terms;
  if (paymentTermDays !== null && !(Number.isInteger(paymentTermDays) && paymentTermDays >= 0)) {
    fail('paymentTermDays', 'must be a whole number of days, 0 or more, or null');
  }

  // Epoch ms of an instant, read as computePeriods reads it (a string without an offset is
  // local time in the schedule's zone), or null after recording the field's error.
  const zone = isKnownZone(terms.timezone) ? terms.timezone : 'UTC';
  const instant = (iso: string, field: string): number | null => {
    const dt = typeof iso === 'string' ? DateTime.fromISO(iso, { zone }) : null;
    if (dt?.isValid) return dt.toMillis();
    fail(field, 'must be an RFC 3339 date-time');
    return null;
  };

  const start = instant(terms.startDate, 'startDate');
  const end = instant(terms.endDate, 'endDate');
  instant(terms.billingAnchor, 'billingAnchor');
  if (start !== null && end !== null && end <= start) fail('endDate', 'must be after startDate');

  const windows = terms.customPeriodWindows;
  if (terms.periodPreset !== 'custom') {
    if (windows.length > 0)
      fail('customPeriodWindows', 'must be empty unless periodPreset is custom');
    return errors;
  }
  if (windows.length === 0) {
    fail('customPeriodWindows', 'must list at least one window when periodPreset is custom');
    return errors;
  }
  // Each window starts where the previous one ended (the first at startDate) and the last
  // ends at endDate; with start < end in every window this also makes them ordered.
  let expectedStart = start;
  windows.forEach((window, i) => {
    const path = `customPeriodWindows[${i}]`;
    const windowStart = instant(window.startDate, `${path}.startDate`);
    const windowEnd = instant(window.endDate, `${path}.endDate`);
    if (windowStart !== null && expectedStart !== null && windowStart !== expectedStart) {
      fail(
        `${path}.startDate`,
        i === 0
          ? "must equal the schedule's startDate"
          : `must equal customPeriodWindows[${i - 1}].endDate (windows are ordered and contiguous)`,
      );
    }
    if (windowStart !== null && windowEnd !== null && windowEnd <= windowStart) {
      fail(`${path}.endDate`, 'must be after startDate');
    }
    if (i === windows.length - 1 && windowEnd !== null && end !== null && windowEnd !== end) {
      fail(`${path}.endDate`, "must equal the schedule's endDate");
    }
    expectedStart = windowEnd;
  });
  return errors;
}
