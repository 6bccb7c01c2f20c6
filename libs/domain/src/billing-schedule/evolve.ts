import type { BillingScheduleEvent, ScheduleInvoice } from './billing-schedule.events';
import type { BillingSchedule, BillingScheduleState } from './billing-schedule.state';

/**
 * Folds one event into the state. Pure; `version` is the event's stream version.
 * Events before creation are ignored so a fold never throws on foreign input.
 */
export function evolve(
  state: BillingScheduleState,
  event: BillingScheduleEvent,
  version: number,
): BillingScheduleState {
  if (event.type === 'BillingScheduleCreated') {
    const { scheduleId, createdAt, ...attributes } = event.data;
    return {
      ...attributes,
      id: scheduleId,
      currentPeriodStart: null,
      currentPeriodEnd: null,
      intervals: [],
      invoices: [],
      createdAt,
      updatedAt: createdAt,
      deletedAt: null,
      version,
    };
  }
  if (state === null) return null;
  const next = applyTo(state, event);
  return { ...next, version };
}

function applyTo(state: BillingSchedule, event: BillingScheduleEvent): BillingSchedule {
  switch (event.type) {
    case 'BillingScheduleCreated':
      return state;
    case 'BillingScheduleUpdated':
      return { ...state, ...event.data.changes, updatedAt: event.data.updatedAt };
    case 'BillingScheduleActivated':
      return {
        ...state,
        status: 'active',
        currentPeriodStart: event.data.currentPeriodStart,
        currentPeriodEnd: event.data.currentPeriodEnd,
        updatedAt: event.data.activatedAt,
      };
    case 'BillingScheduleCancelled':
      return { ...state, status: 'cancelled', updatedAt: event.data.cancelledAt };
    case 'BillingScheduleCompleted':
      return {
        ...state,
        status: 'completed',
        currentPeriodStart: null,
        currentPeriodEnd: null,
        updatedAt: event.data.completedAt,
      };
    case 'BillingScheduleDeleted':
      return { ...state, deletedAt: event.data.deletedAt, updatedAt: event.data.deletedAt };
    case 'ScheduleIntervalsReplaced':
      return { ...state, intervals: event.data.intervals, updatedAt: event.data.replacedAt };
    case 'ScheduleInvoicesGenerated': {
      const dropped = new Set([
        ...event.data.removedInvoiceIds,
        ...event.data.invoices.map((i) => i.id),
      ]);
      const invoices = mergeByPeriodStart(
        state.invoices.filter((i) => !dropped.has(i.id)),
        event.data.invoices,
      );
      return { ...state, invoices, updatedAt: event.data.generatedAt };
    }
    case 'BillingPeriodUpdated': {
      const { pushedInvoiceId, updatedAt, closedPeriod } = event.data;
      // One invoice changes; finding it by period (invoices are ordered by periodStart) keeps
      // folding a long stream of closed periods linear in practice.
      const at = indexOfInvoice(state.invoices, pushedInvoiceId, closedPeriod.startDate);
      const invoices = at < 0 ? state.invoices : state.invoices.slice();
      if (at >= 0) invoices[at] = { ...invoices[at], status: 'pushed', updatedAt };
      return {
        ...state,
        invoices,
        currentPeriodStart: event.data.currentPeriod?.startDate ?? null,
        currentPeriodEnd: event.data.currentPeriod?.endDate ?? null,
        updatedAt,
      };
    }
  }
}

/** Binary search by period start, then a scan as a fallback; -1 when there is none. */
function indexOfInvoice(
  invoices: readonly ScheduleInvoice[],
  id: string | null,
  periodStart: string,
): number {
  if (id === null) return -1;
  const target = Date.parse(periodStart);
  let [low, high] = [0, invoices.length - 1];
  while (low <= high) {
    const middle = (low + high) >> 1;
    const start = Date.parse(invoices[middle].periodStart);
    if (start === target && invoices[middle].id === id) return middle;
    if (start < target) low = middle + 1;
    else high = middle - 1;
  }
  return invoices.findIndex((invoice) => invoice.id === id);
}

/**
 * Both lists ordered by period start (the state's always is; a run stages in period order),
 * merged in one pass: a run staging a slice of a long schedule costs O(invoices), not a sort.
 * Falls back to a sort when the staged list is not ordered.
 */
function mergeByPeriodStart(kept: ScheduleInvoice[], staged: ScheduleInvoice[]): ScheduleInvoice[] {
  const start = (invoice: ScheduleInvoice) => Date.parse(invoice.periodStart);
  const stagedStarts = staged.map(start);
  if (stagedStarts.some((t, i) => i > 0 && t < stagedStarts[i - 1])) {
    return [...kept, ...staged]
      .map((invoice) => ({ invoice, at: start(invoice) }))
      .sort((a, b) => a.at - b.at)
      .map(({ invoice }) => invoice);
  }
  const merged: ScheduleInvoice[] = [];
  let j = 0;
  for (const invoice of kept) {
    const at = start(invoice);
    while (j < staged.length && stagedStarts[j] < at) merged.push(staged[j++]);
    merged.push(invoice);
  }
  while (j < staged.length) merged.push(staged[j++]);
  return merged;
}
export function foldBillingSchedule(
  events: Iterable<{ event: BillingScheduleEvent; version: number }>,
): BillingScheduleState {
  let state: BillingScheduleState = null;
  for (const { event, version } of events) state = evolve(state, event, version);
  return state;
}
