import { parseInstant, toIsoInstant } from '../calendar/calendar';
import { formatInstant } from '../calendar/zone-clock';
import {
  billingPeriodCalculator,
  estimateLines,
  periodSequence,
  scheduleLimitErrors,
  validateTerms,
  type BillingPeriod,
} from '../periods';
import { FieldError, InvalidOperation, NotFound, ValidationFailed } from '../domain-error';
import type {
  BillingScheduleCommand,
  DecisionContext,
  IntervalInput,
  ScheduleInput,
  SchedulePatch,
} from './billing-schedule.commands';
import {
  billingScheduleEvent,
  type BillingScheduleEvent,
  type ScheduleAttributes,
  type ScheduleInvoice,
} from './billing-schedule.events';
import type { BillingSchedule, BillingScheduleState } from './billing-schedule.state';
import type { ScheduleInterval, ScheduleTerms } from './billing-schedule.types';

/** Decides which events a command produces against the current state, or throws a domain error. */
export function decide(
  command: BillingScheduleCommand,
  state: BillingScheduleState,
  ctx: DecisionContext,
): BillingScheduleEvent[] {
  if (command.type === 'CreateBillingSchedule') {
    if (state !== null) throw new InvalidOperation(`billing schedule ${command.scheduleId} exists`);
    return create(command.scheduleId, command.merchantId, command.input, ctx);
  }
  const schedule = existing(state);
  switch (command.type) {
    case 'UpdateBillingSchedule':
      return update(schedule, command.patch, ctx);
    case 'DeleteBillingSchedule':
      return [
        billingScheduleEvent('BillingScheduleDeleted', {
          scheduleId: schedule.id,
          deletedAt: ctx.now,
        }),
      ];
    case 'ReplaceScheduleIntervals':
      return replaceIntervals(schedule, command.intervals, command.orderLineItemId, ctx);
    case 'GenerateScheduleInvoices':
      return generateInvoices(schedule, ctx);
    case 'CloseElapsedPeriods':
      return closeElapsedPeriods(schedule, command, ctx);
  }
}

function existing(state: BillingScheduleState): BillingSchedule {
  if (state === null || state.deletedAt !== null) throw new NotFound('billing schedule not found');
  return state;
}

const TERM_FIELDS = [
  'startDate',
  'endDate',
  'billingAnchor',
  'alignmentPolicy',
  'prorationPolicy',
  'periodPreset',
  'customPeriodWindows',
  'timezone',
] as const satisfies readonly (keyof ScheduleTerms)[];

function create(
  scheduleId: string,
  merchantId: string,
  input: ScheduleInput,
  ctx: DecisionContext,
): BillingScheduleEvent[] {
  const attributes = normalise({
    orderId: input.orderId ?? null,
    subscriptionId: input.subscriptionId ?? null,
    startDate: input.startDate,
    endDate: input.endDate,
    billingAnchor: input.billingAnchor,
    alignmentPolicy: input.alignmentPolicy ?? 'anchor',
    prorationPolicy: input.prorationPolicy ?? 'none',
    periodPreset: input.periodPreset ?? 'P1M',
    customPeriodWindows: input.customPeriodWindows ?? [],
    paymentTermDays: input.paymentTermDays ?? null,
    metadata: input.metadata ?? {},
    timezone: input.timezone ?? 'UTC',
  });
  assertValid(attributes, [], 'intervals');
  return [
    billingScheduleEvent('BillingScheduleCreated', {
      scheduleId,
      merchantId,
      status: 'draft',
      ...attributes,
      createdAt: ctx.now,
    }),
  ];
}

function update(
  schedule: BillingSchedule,
  patch: SchedulePatch,
  ctx: DecisionContext,
): BillingScheduleEvent[] {
  const { status, ...fields } = patch;
  const current = attributesOf(schedule);
  const merged = normalise({ ...current, ...fields } as ScheduleAttributes);
  const changes = changedFields(current, merged);
  const events: BillingScheduleEvent[] = [];

  if (Object.keys(changes).length > 0) {
    if (schedule.status === 'completed' || schedule.status === 'cancelled') {
      throw new InvalidOperation(`a ${schedule.status} billing schedule cannot be changed`);
    }
    const shaping = TERM_FIELDS.filter((field) => field in changes);
    if (shaping.length > 0 && schedule.status !== 'draft') {
      throw new InvalidOperation(
        `${shaping.join(', ')} can only change while the schedule is a draft (it is ${schedule.status})`,
      );
    }
    // New terms can multiply the intervals' lines (P1Y → P1M): the changed term is to blame.
    assertValid(merged, schedule.intervals, shaping[0] ?? 'intervals');
    events.push(
      billingScheduleEvent('BillingScheduleUpdated', {
        scheduleId: schedule.id,
        changes,
        updatedAt: ctx.now,
      }),
    );
  }

  if (status !== undefined && status !== schedule.status) {
    events.push(transition(schedule, merged, status, ctx));
  }
  return events;
}

function transition(
  schedule: BillingSchedule,
  terms: ScheduleTerms,
  target: SchedulePatch['status'],
  ctx: DecisionContext,
): BillingScheduleEvent {
  const from = schedule.status;
  if (target === 'active' && from === 'draft') {
    if (schedule.intervals.length === 0) {
      throw new InvalidOperation('a billing schedule needs at least one interval to be activated');
    }
    const [first] = periodSequence(terms).spans(0, 1);
    return billingScheduleEvent('BillingScheduleActivated', {
      scheduleId: schedule.id,
      activatedAt: ctx.now,
      currentPeriodStart: formatInstant(first.start),
      currentPeriodEnd: formatInstant(first.end),
    });
  }
  if (target === 'cancelled' && (from === 'draft' || from === 'active')) {
    return billingScheduleEvent('BillingScheduleCancelled', {
      scheduleId: schedule.id,
      previousStatus: from,
      cancelledAt: ctx.now,
    });
  }
  if (target === 'completed') {
    throw new InvalidOperation(
      'a billing schedule is completed by the billing-period task when its endDate is reached',
    );
  }
  throw new InvalidOperation(`status cannot change from ${from} to ${target}`);
}

function replaceIntervals(
  schedule: BillingSchedule,
  inputs: IntervalInput[],
  scope: string | undefined,
  ctx: DecisionContext,
): BillingScheduleEvent[] {
  if (schedule.status !== 'draft' && schedule.status !== 'active') {
    throw new InvalidOperation(`intervals of a ${schedule.status} billing schedule cannot change`);
  }
  const errors: FieldError[] = [];
  const created = inputs.map((input, i) =>
    newInterval(input, scope, `intervals[${i}]`, schedule, ctx, errors),
  );
  if (errors.length > 0) throw new ValidationFailed(errors);

  const kept =
    scope === undefined ? [] : schedule.intervals.filter((i) => i.orderLineItemId !== scope);
  const limitErrors = scheduleLimitErrors(schedule, [...kept, ...created], {
    periods: 'endDate',
    lines: 'intervals',
  });
  if (limitErrors.length > 0) throw new ValidationFailed(limitErrors);
  const keptIds = new Set(kept.map((i) => i.id));
  return [
    billingScheduleEvent('ScheduleIntervalsReplaced', {
      scheduleId: schedule.id,
      orderLineItemId: scope ?? null,
      removedIntervalIds: schedule.intervals.filter((i) => !keptIds.has(i.id)).map((i) => i.id),
      intervals: [...kept, ...created],
      replacedAt: ctx.now,
    }),
  ];
}

function newInterval(
  input: IntervalInput,
  scope: string | undefined,
  path: string,
  schedule: BillingSchedule,
  ctx: DecisionContext,
  errors: FieldError[],
): ScheduleInterval {
  const startDate = instant(input.startDate);
  const endDate = instant(input.endDate);
  const billDate = input.billDate ? instant(input.billDate) : null;
  const quantityTransitions = (input.quantityTransitions ?? []).map((t) => ({
    effectiveDate: instant(t.effectiveDate),
    quantity: t.quantity,
  }));
  const fail = (field: string, message: string) =>
    errors.push({ field: `${path}.${field}`, message });

  const [start, end] = [epoch(startDate), epoch(endDate)];
  const insideSchedule = (t: number) =>
    t >= epoch(schedule.startDate) && t < epoch(schedule.endDate);
  if (end <= start) fail('endDate', 'must be after startDate');
  if (!insideSchedule(start))
    fail('startDate', 'must lie inside the schedule [startDate, endDate)');
  if (end > epoch(schedule.endDate)) fail('endDate', "must not be after the schedule's endDate");
  quantityTransitions.forEach((t, j) => {
    const effective = epoch(t.effectiveDate);
    if (effective < start || effective >= end) {
      fail(
        `quantityTransitions[${j}].effectiveDate`,
        'must lie inside the interval [startDate, endDate)',
      );
    }
    if (j > 0 && effective <= epoch(quantityTransitions[j - 1].effectiveDate)) {
      fail(`quantityTransitions[${j}].effectiveDate`, 'transitions must be strictly increasing');
    }
  });
  if (billDate !== null && !insideSchedule(epoch(billDate))) {
    fail('billDate', 'must lie inside the schedule [startDate, endDate)');
  }
  const lineItem = input.orderLineItemId ?? scope ?? null;
  if (scope !== undefined && lineItem !== scope) {
    fail('orderLineItemId', `must be ${scope} (the scope of this replacement) or absent`);
  }

  return {
    id: ctx.newId('si'),
    orderLineItemId: lineItem,
    itemId: input.itemId ?? null,
    priceId: input.priceId ?? null,
    description: input.description ?? null,
    baseQuantity: input.baseQuantity,
    unitPrice: input.unitPrice ?? null,
    billingCadence: input.billingCadence,
    billingMode: input.billingMode ?? 'advance',
    startDate,
    endDate,
    quantityTransitions,
    billDate,
    usageFilter: input.usageFilter ?? null,
    metadata: input.metadata ?? {},
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}

function generateInvoices(schedule: BillingSchedule, ctx: DecisionContext): BillingScheduleEvent[] {
  if (schedule.status === 'cancelled') {
    throw new InvalidOperation('a cancelled billing schedule cannot be invoiced');
  }
  if (schedule.intervals.length === 0) {
    throw new InvalidOperation('the billing schedule has no intervals to invoice');
  }
  const byPeriod = new Map(schedule.invoices.map((invoice) => [invoice.periodStart, invoice]));
  const staged: ScheduleInvoice[] = [];
  for (const period of periodsWithLines(schedule)) {
    if (period.lines.length === 0) continue;
    const previous = byPeriod.get(period.startDate);
    if (previous?.status === 'pushed') continue;
    staged.push({
      id: previous?.id ?? ctx.newId('sinv'),
      object: 'schedule_invoice',
      billingScheduleId: schedule.id,
      orderId: schedule.orderId,
      merchantId: schedule.merchantId,
      periodIndex: period.index,
      periodStart: period.startDate,
      periodEnd: period.endDate,
      issueDate: period.issueDate,
      dueDate: period.dueDate,
      amount: period.amount,
      status: 'staged',
      lineItems: period.lines,
      createdAt: previous?.createdAt ?? ctx.now,
      updatedAt: ctx.now,
    });
  }
  const stagedIds = new Set(staged.map((invoice) => invoice.id));
  return [
    billingScheduleEvent('ScheduleInvoicesGenerated', {
      scheduleId: schedule.id,
      invoices: staged,
      removedInvoiceIds: schedule.invoices
        .filter((invoice) => invoice.status === 'staged' && !stagedIds.has(invoice.id))
        .map((invoice) => invoice.id),
      generatedAt: ctx.now,
    }),
  ];
}

/**
 * A schedule's billing periods that can have lines, computed run by run: the periods no
 * interval touches cost nothing, so the work follows the lines (≤ SCHEDULE_LIMITS.lines).
 */
function periodsWithLines(schedule: BillingSchedule): BillingPeriod[] {
  const calculator = billingPeriodCalculator(schedule, schedule.intervals);
  const { perPeriod } = estimateLines(schedule, schedule.intervals);
  const periods: BillingPeriod[] = [];
  for (let index = 0; index < perPeriod.length; index++) {
    if (perPeriod[index] === 0) continue;
    let end = index;
    while (end < perPeriod.length && perPeriod[end] > 0) end++;
    periods.push(...calculator.periods(index, end));
    index = end;
  }
  return periods;
}

/**
 * How much one CloseElapsedPeriods decision may close, so that each decision (and the append
 * of its events) is a short, bounded piece of work; the task repeats the command until
 * nothing is left, yielding to the event loop in between.
 */
export const CLOSE_SLICE = { periods: 50, lines: 1_000 } as const;

/**
 * Closes, in order, the periods of an active schedule that ended at or before asOf, at most
 * CLOSE_SLICE of them: one BillingPeriodUpdated each (with the closed period's amount and
 * lines, pushing its staged invoice), then BillingScheduleCompleted once the last period is
 * closed and endDate has passed. Nothing to close → no events, which is what makes a repeated
 * run with the same asOf a no-op.
 */
function closeElapsedPeriods(
  schedule: BillingSchedule,
  { asOf, runId, resumeFrom }: Extract<BillingScheduleCommand, { type: 'CloseElapsedPeriods' }>,
  ctx: DecisionContext,
): BillingScheduleEvent[] {
  const from = resumeFrom ?? schedule.currentPeriodStart;
  if (schedule.status !== 'active' || from === null) return [];
  const cutoff = epoch(asOf);
  const calculator = billingPeriodCalculator(schedule, schedule.intervals);
  const sequence = periodSequence(schedule);
  const current = parseInstant(from, schedule.timezone);
  const first = sequence.indexAt(current);
  if (epoch(formatInstant(sequence.spans(first, first + 1)[0].start)) !== epoch(from)) return [];

  const stagedByPeriod = new Map(
    schedule.invoices
      .filter((invoice) => invoice.status === 'staged')
      .map((invoice) => [epoch(invoice.periodStart), invoice]),
  );
  const events: BillingScheduleEvent[] = [];
  let lines = 0;
  let index = first;
  let finished = false;
  while (events.length < CLOSE_SLICE.periods && lines < CLOSE_SLICE.lines) {
    const [closed] = calculator.periods(index, index + 1);
    if (closed === undefined || epoch(closed.endDate) > cutoff) break;
    const [next] = sequence.spans(index + 1, index + 2);
    const staged = stagedByPeriod.get(epoch(closed.startDate));
    events.push(
      billingScheduleEvent('BillingPeriodUpdated', {
        scheduleId: schedule.id,
        closedPeriod: {
          index: closed.index,
          startDate: closed.startDate,
          endDate: closed.endDate,
          amount: closed.amount,
          lines: closed.lines,
        },
        currentPeriod: next
          ? { startDate: formatInstant(next.start), endDate: formatInstant(next.end) }
          : null,
        pushedInvoiceId: staged?.id ?? null,
        asOf,
        runId,
        updatedAt: ctx.now,
      }),
    );
    lines += closed.lines.length;
    index++;
    finished = next === undefined;
    if (finished) break;
  }
  if (finished && epoch(schedule.endDate) <= cutoff) {
    events.push(
      billingScheduleEvent('BillingScheduleCompleted', {
        scheduleId: schedule.id,
        completedAt: ctx.now,
      }),
    );
  }
  return events;
}

export function attributesOf(schedule: BillingSchedule): ScheduleAttributes {
  return {
    orderId: schedule.orderId,
    subscriptionId: schedule.subscriptionId,
    startDate: schedule.startDate,
    endDate: schedule.endDate,
    billingAnchor: schedule.billingAnchor,
    alignmentPolicy: schedule.alignmentPolicy,
    prorationPolicy: schedule.prorationPolicy,
    periodPreset: schedule.periodPreset,
    customPeriodWindows: schedule.customPeriodWindows,
    paymentTermDays: schedule.paymentTermDays,
    metadata: schedule.metadata,
    timezone: schedule.timezone,
  };
}

function normalise(attributes: ScheduleAttributes): ScheduleAttributes {
  return {
    ...attributes,
    startDate: instant(attributes.startDate),
    endDate: instant(attributes.endDate),
    billingAnchor: instant(attributes.billingAnchor),
    customPeriodWindows: attributes.customPeriodWindows.map((w) => ({
      startDate: instant(w.startDate),
      endDate: instant(w.endDate),
    })),
  };
}

function assertValid(
  attributes: ScheduleAttributes,
  intervals: ScheduleInterval[],
  linesField: string,
): void {
  const errors: FieldError[] = [];
  if ((attributes.orderId === null) === (attributes.subscriptionId === null)) {
    errors.push({
      field: 'orderId',
      message: 'exactly one of orderId or subscriptionId is required',
    });
  }
  errors.push(...validateTerms(attributes));
  intervals.forEach((interval, i) => {
    if (
      epoch(interval.startDate) < epoch(attributes.startDate) ||
      epoch(interval.endDate) > epoch(attributes.endDate)
    ) {
      errors.push({
        field: `intervals[${i}]`,
        message: `interval ${interval.id} would lie outside the schedule's new dates`,
      });
    }
  });
  if (errors.length === 0) {
    errors.push(
      ...scheduleLimitErrors(attributes, intervals, {
        periods: attributes.periodPreset === 'custom' ? 'customPeriodWindows' : 'endDate',
        lines: linesField,
      }),
    );
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
}

function changedFields(
  before: ScheduleAttributes,
  after: ScheduleAttributes,
): Partial<ScheduleAttributes> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof ScheduleAttributes)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = after[key];
  }
  return changes as Partial<ScheduleAttributes>;
}

/** Canonical instants may carry milliseconds, so they are compared as numbers, never as strings. */
const epoch = (iso: string) => Date.parse(iso);

/** Normalises an RFC 3339 instant to the canonical UTC form (UTC, Z, milliseconds only when non-zero). */
function instant(value: string): string {
  return toIsoInstant(parseInstant(value, 'UTC'));
}
