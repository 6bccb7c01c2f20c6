import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  BILLING_SCHEDULE_STREAM_TYPE,
  billingPeriodCalculator,
  SCHEDULE_LIMITS,
  ScheduleTermsSchema,
  type BillingPeriod,
  type BillingPeriodCalculator,
  type BillingScheduleEvent,
  type ScheduleInterval,
  type ScheduleTerms,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';

/** What a schedule's periods are computed from. */
export interface PeriodInputs {
  terms: ScheduleTerms;
  intervals: ScheduleInterval[];
}

/** One schedule as the periods read model tracks it, apart from the periods themselves. */
export interface PeriodsHead {
  scheduleId: string;
  tenantId: string;
  /** The stream version applied. */
  version: number;
  deleted: boolean;
  inputs: PeriodInputs;
}

const TERM_FIELDS = Object.keys(ScheduleTermsSchema.shape) as (keyof ScheduleTerms)[];

export const isBillingScheduleEvent = (event: StoredEvent) =>
  event.streamType === BILLING_SCHEDULE_STREAM_TYPE;

export const scheduleIdOf = (event: StoredEvent) =>
  (event.data as { scheduleId: string }).scheduleId;

/**
 * The head after one event, and whether the event changed what the periods are computed from.
 * Only creation, a change of terms and a new interval set do; status changes, invoices and
 * closed periods leave the periods as they are. Payloads are self-contained (SPEC §6), so this
 * needs no other state than the terms and intervals themselves.
 */
export function nextHead(
  head: PeriodsHead | null,
  stored: StoredEvent,
): { head: PeriodsHead | null; periodsChanged: boolean } {
  const event = stored as unknown as BillingScheduleEvent;
  if (event.type === 'BillingScheduleCreated') {
    const terms = {} as Record<string, unknown>;
    for (const field of TERM_FIELDS) terms[field] = event.data[field];
    return {
      head: {
        scheduleId: event.data.scheduleId,
        tenantId: stored.tenantId,
        version: stored.version,
        deleted: false,
        inputs: { terms: terms as ScheduleTerms, intervals: [] },
      },
      periodsChanged: true,
    };
  }
  if (head === null) return { head: null, periodsChanged: false };
  const at = { ...head, version: stored.version };
  switch (event.type) {
    case 'BillingScheduleUpdated': {
      const changes = event.data.changes as Partial<ScheduleTerms>;
      const changed = TERM_FIELDS.filter((field) => field in changes);
      if (changed.length === 0) return { head: at, periodsChanged: false };
      const terms = { ...head.inputs.terms };
      for (const field of changed) (terms as Record<string, unknown>)[field] = changes[field];
      return { head: { ...at, inputs: { ...head.inputs, terms } }, periodsChanged: true };
    }
    case 'ScheduleIntervalsReplaced':
      return {
        head: { ...at, inputs: { ...head.inputs, intervals: event.data.intervals } },
        periodsChanged: true,
      };
    case 'BillingScheduleDeleted':
      return { head: { ...at, deleted: true }, periodsChanged: false };
    default:
      return { head: at, periodsChanged: false };
  }
}

/** How long one turn of the event loop may compute periods before it yields. */
export const COMPUTE_TURN_MS = 10;

/**
 * Every period of the schedule, computed a few at a time with a turn of the event loop in
 * between, so a schedule at the limits never holds the loop for long. Null when the periods
 * are not to be stored: the engine refuses the terms, or the schedule exceeds the limits (one
 * written before they existed; the lines are counted as they are computed, so such a schedule
 * costs no more than one at the limits); a reader then computes the requested page as before.
 */
export async function computeAllPeriods(inputs: PeriodInputs): Promise<BillingPeriod[] | null> {
  const { terms, intervals } = inputs;
  let turnStarted = performance.now();
  let calculator: BillingPeriodCalculator;
  try {
    calculator = billingPeriodCalculator(terms, intervals);
  } catch {
    return null;
  }
  if (calculator.count > SCHEDULE_LIMITS.periods) return null;
  const periods: BillingPeriod[] = [];
  let lines = 0;
  for (let index = 0; index < calculator.count; index++) {
    if (performance.now() - turnStarted > COMPUTE_TURN_MS) {
      await yieldToEventLoop();
      turnStarted = performance.now();
    }
    const [period] = calculator.periods(index, index + 1);
    lines += period.lines.length;
    if (lines > SCHEDULE_LIMITS.lines || period.lines.length > SCHEDULE_LIMITS.linesPerPeriod) {
      return null;
    }
    periods.push(period);
  }
  return periods;
}
