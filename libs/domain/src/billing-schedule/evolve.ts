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
      const invoices = [
        ...state.invoices.filter((i) => !dropped.has(i.id)),
        ...event.data.invoices,
      ].sort(byPeriodStart);
      return { ...state, invoices, updatedAt: event.data.generatedAt };
    }
    case 'BillingPeriodUpdated': {
      const { pushedInvoiceId, updatedAt } = event.data;
      const invoices = state.invoices.map((invoice): ScheduleInvoice =>
        invoice.id === pushedInvoiceId ? { ...invoice, status: 'pushed', updatedAt } : invoice,
      );
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

const byPeriodStart = (a: ScheduleInvoice, b: ScheduleInvoice) =>
  Date.parse(a.periodStart) - Date.parse(b.periodStart);

export function foldBillingSchedule(
  events: Iterable<{ event: BillingScheduleEvent; version: number }>,
): BillingScheduleState {
  let state: BillingScheduleState = null;
  for (const { event, version } of events) state = evolve(state, event, version);
  return state;
}
