import { InvalidOperation, NotFound, ValidationFailed } from '../domain-error';
import type {
  BillingScheduleCommand,
  DecisionContext,
  IntervalInput,
  ScheduleInput,
} from './billing-schedule.commands';
import type { BillingScheduleEvent } from './billing-schedule.events';
import type { BillingScheduleState } from './billing-schedule.state';
import { SCHEDULE_LIMITS } from '../periods';
import { CLOSE_SLICE, decide } from './decide';
import { evolve } from './evolve';

function context(now = '2024-01-01T00:00:00Z'): DecisionContext {
  let n = 0;
  return { now, newId: (prefix) => `${prefix}_${++n}` };
}

const input = (overrides: Partial<ScheduleInput> = {}): ScheduleInput => ({
  startDate: '2024-01-01T00:00:00Z',
  endDate: '2024-07-01T00:00:00Z',
  billingAnchor: '2024-01-01T00:00:00Z',
  orderId: 'ord_1',
  ...overrides,
});

const interval = (overrides: Partial<IntervalInput> = {}): IntervalInput => ({
  baseQuantity: '1',
  billingCadence: 'P1M',
  startDate: '2024-01-01T00:00:00Z',
  endDate: '2024-07-01T00:00:00Z',
  unitPrice: '10',
  ...overrides,
});

/** Given events, when a command, then events: the emmett way of testing a decider. */
function given(...commands: BillingScheduleCommand[]) {
  let state: BillingScheduleState = null;
  let version = 0;
  const ctx = context();
  const apply = (events: BillingScheduleEvent[]) => {
    for (const event of events) state = evolve(state, event, ++version);
    return events;
  };
  for (const command of commands) apply(decide(command, state, ctx));
  return {
    when: (command: BillingScheduleCommand, now?: string) =>
      apply(decide(command, state, now ? context(now) : ctx)),
    state: () => state,
  };
}

const create = (overrides: Partial<ScheduleInput> = {}): BillingScheduleCommand => ({
  type: 'CreateBillingSchedule',
  scheduleId: 'bs_1',
  merchantId: 'm_1',
  input: input(overrides),
});
const replace = (...intervals: IntervalInput[]): BillingScheduleCommand => ({
  type: 'ReplaceScheduleIntervals',
  intervals,
});
const patch = (p: object): BillingScheduleCommand => ({ type: 'UpdateBillingSchedule', patch: p });

describe('decide: create', () => {
  it('applies the SPEC defaults and normalises instants to UTC', () => {
    const [event] = given().when(create({ startDate: '2024-01-01T01:00:00+01:00' }));
    expect(event.type).toBe('BillingScheduleCreated');
    expect(event.data).toMatchObject({
      scheduleId: 'bs_1',
      merchantId: 'm_1',
      status: 'draft',
      startDate: '2024-01-01T00:00:00Z',
      alignmentPolicy: 'anchor',
      prorationPolicy: 'none',
      periodPreset: 'P1M',
      customPeriodWindows: [],
      paymentTermDays: null,
      metadata: {},
      timezone: 'UTC',
      subscriptionId: null,
    });
  });

  it.each([
    ['neither', { orderId: undefined }],
    ['both', { subscriptionId: 'sub_1' }],
  ])('needs exactly one of orderId/subscriptionId (%s)', (_, overrides) => {
    expect(() => given().when(create(overrides))).toThrow(ValidationFailed);
  });

  it('rejects endDate not after startDate, and an unknown zone', () => {
    expect(() => given().when(create({ endDate: '2024-01-01T00:00:00Z' }))).toThrow(
      ValidationFailed,
    );
    expect(() => given().when(create({ timezone: 'Mars/Base' }))).toThrow(ValidationFailed);
  });
});

describe('decide: status rules', () => {
  it('activates only with intervals, with the first period as current', () => {
    expect(() => given(create()).when(patch({ status: 'active' }))).toThrow(InvalidOperation);
    const scenario = given(
      create({ startDate: '2024-01-15T00:00:00Z' }),
      replace(interval({ startDate: '2024-01-15T00:00:00Z' })),
    );
    const [event] = scenario.when(patch({ status: 'active' }));
    expect(event).toMatchObject({
      type: 'BillingScheduleActivated',
      data: {
        currentPeriodStart: '2024-01-15T00:00:00Z',
        currentPeriodEnd: '2024-02-01T00:00:00Z',
      },
    });
    expect(scenario.state()?.status).toBe('active');
  });

  it.each([
    ['draft', 'completed'],
    ['active', 'draft'],
    ['active', 'completed'],
    ['cancelled', 'active'],
    ['cancelled', 'draft'],
  ])('refuses %s → %s', (from, to) => {
    const steps: BillingScheduleCommand[] = [create(), replace(interval())];
    if (from === 'active') steps.push(patch({ status: 'active' }));
    if (from === 'cancelled') steps.push(patch({ status: 'cancelled' }));
    expect(() => given(...steps).when(patch({ status: to }))).toThrow(InvalidOperation);
  });

  it('cancels from draft and from active, recording the previous status', () => {
    expect(given(create()).when(patch({ status: 'cancelled' }))[0].data).toMatchObject({
      previousStatus: 'draft',
    });
    const active = given(create(), replace(interval()), patch({ status: 'active' }));
    expect(active.when(patch({ status: 'cancelled' }))[0].data).toMatchObject({
      previousStatus: 'active',
    });
  });

  it('changes period-shaping fields only in draft, other fields while active', () => {
    const active = given(create(), replace(interval()), patch({ status: 'active' }));
    for (const change of [
      { startDate: '2024-02-01T00:00:00Z' },
      { timezone: 'Europe/Berlin' },
      { periodPreset: 'P3M' },
      { alignmentPolicy: 'calendar' },
      { billingAnchor: '2024-01-05T00:00:00Z' },
      { prorationPolicy: 'daily' },
    ]) {
      expect(() => active.when(patch(change))).toThrow(InvalidOperation);
    }
    const [event] = active.when(patch({ metadata: { a: 'b' }, paymentTermDays: 14 }));
    expect(event).toMatchObject({
      type: 'BillingScheduleUpdated',
      data: { changes: { metadata: { a: 'b' }, paymentTermDays: 14 } },
    });
  });

  it('appends nothing for a PATCH that changes nothing', () => {
    expect(given(create()).when(patch({ orderId: 'ord_1', status: 'draft' }))).toEqual([]);
  });

  it('refuses shrinking the dates under existing intervals', () => {
    const draft = given(create(), replace(interval()));
    expect(() => draft.when(patch({ endDate: '2024-03-01T00:00:00Z' }))).toThrow(ValidationFailed);
  });
});

describe('decide: intervals', () => {
  it('gives new ids on every replacement and keeps other lines on a scoped one', () => {
    const s = given(
      create(),
      replace(interval({ orderLineItemId: 'a' }), interval({ orderLineItemId: 'b' })),
    );
    const before = s.state()!.intervals;
    const [event] = s.when({
      type: 'ReplaceScheduleIntervals',
      orderLineItemId: 'a',
      intervals: [interval({ baseQuantity: '4' })],
    });
    const after = s.state()!.intervals;
    expect(event.data).toMatchObject({ orderLineItemId: 'a', removedIntervalIds: [before[0].id] });
    expect(after.find((i) => i.orderLineItemId === 'b')).toEqual(before[1]);
    const lineA = after.find((i) => i.orderLineItemId === 'a')!;
    expect(lineA.baseQuantity).toBe('4');
    expect(lineA.id).not.toBe(before[0].id);
  });

  it('validates bounds and transitions with field paths', () => {
    const draft = given(create());
    const attempt = (i: IntervalInput) => {
      try {
        draft.when(replace(i));
        return [];
      } catch (error) {
        return (error as ValidationFailed).errors.map((e) => e.field);
      }
    };
    expect(attempt(interval({ startDate: '2023-12-31T00:00:00Z' }))).toEqual([
      'intervals[0].startDate',
    ]);
    expect(attempt(interval({ endDate: '2024-08-01T00:00:00Z' }))).toEqual([
      'intervals[0].endDate',
    ]);
    expect(
      attempt(
        interval({
          quantityTransitions: [
            { effectiveDate: '2024-03-01T00:00:00Z', quantity: '2' },
            { effectiveDate: '2024-03-01T00:00:00Z', quantity: '3' },
          ],
        }),
      ),
    ).toEqual(['intervals[0].quantityTransitions[1].effectiveDate']);
    expect(
      attempt(
        interval({
          quantityTransitions: [{ effectiveDate: '2024-09-01T00:00:00Z', quantity: '2' }],
        }),
      ),
    ).toEqual(['intervals[0].quantityTransitions[0].effectiveDate']);
    expect(
      attempt(interval({ billingCadence: 'one_off', billDate: '2024-02-01T00:00:00.500Z' })),
    ).toEqual([]);
  });

  it('refuses changes to intervals of a cancelled schedule', () => {
    expect(() => given(create(), patch({ status: 'cancelled' })).when(replace(interval()))).toThrow(
      InvalidOperation,
    );
  });
});

describe('decide: invoices', () => {
  it('needs intervals', () => {
    expect(() => given(create()).when({ type: 'GenerateScheduleInvoices' })).toThrow(
      InvalidOperation,
    );
  });

  it('stages one invoice per period with lines and keeps ids when re-staging', () => {
    const s = given(create(), replace(interval({ endDate: '2024-03-01T00:00:00Z' })));
    const [first] = s.when({ type: 'GenerateScheduleInvoices' });
    const invoices = s.state()!.invoices;
    expect(invoices.map((i) => [i.periodStart, i.amount, i.status])).toEqual([
      ['2024-01-01T00:00:00Z', '10.00', 'staged'],
      ['2024-02-01T00:00:00Z', '10.00', 'staged'],
    ]);
    expect(first.type).toBe('ScheduleInvoicesGenerated');
    s.when(replace(interval({ endDate: '2024-02-01T00:00:00Z', unitPrice: '7' })));
    const [second] = s.when({ type: 'GenerateScheduleInvoices' });
    expect(second.data).toMatchObject({ removedInvoiceIds: [invoices[1].id] });
    expect(s.state()!.invoices.map((i) => [i.id, i.amount])).toEqual([[invoices[0].id, '7.00']]);
  });
});

describe('decide: delete', () => {
  it('soft-deletes once; afterwards the schedule is not found', () => {
    const s = given(create());
    expect(s.when({ type: 'DeleteBillingSchedule' }, '2024-02-01T00:00:00Z')[0].data).toMatchObject(
      { deletedAt: '2024-02-01T00:00:00Z' },
    );
    expect(s.state()!.deletedAt).toBe('2024-02-01T00:00:00Z');
    expect(() => s.when({ type: 'DeleteBillingSchedule' })).toThrow(NotFound);
    expect(() => s.when(patch({ metadata: {} }))).toThrow(NotFound);
  });
});

describe('decide: closing elapsed periods (the billing-period task)', () => {
  const close = (asOf: string): BillingScheduleCommand => ({
    type: 'CloseElapsedPeriods',
    asOf,
    runId: 'run_1',
  });
  const activeQuarter = () =>
    given(
      create({ endDate: '2024-04-01T00:00:00Z' }),
      replace(interval({ endDate: '2024-04-01T00:00:00Z', unitPrice: '12.50', baseQuantity: '2' })),
      { type: 'GenerateScheduleInvoices' },
      patch({ status: 'active' }),
    );

  it('closes exactly the elapsed periods, in order, with amount and lines, and pushes their invoices', () => {
    const s = activeQuarter();
    const invoices = s.state()!.invoices;
    const events = s.when(close('2024-03-01T00:00:00Z'), '2024-03-01T00:05:00Z');
    expect(events.map((e) => e.type)).toEqual(['BillingPeriodUpdated', 'BillingPeriodUpdated']);
    expect(events[0].data).toMatchObject({
      closedPeriod: {
        index: 0,
        startDate: '2024-01-01T00:00:00Z',
        endDate: '2024-02-01T00:00:00Z',
        amount: '25.00',
      },
      currentPeriod: { startDate: '2024-02-01T00:00:00Z', endDate: '2024-03-01T00:00:00Z' },
      pushedInvoiceId: invoices[0].id,
      runId: 'run_1',
    });
    expect(
      (events[1].data as { closedPeriod: { lines: unknown[] } }).closedPeriod.lines,
    ).toHaveLength(1);
    const state = s.state()!;
    expect([state.currentPeriodStart, state.currentPeriodEnd]).toEqual([
      '2024-03-01T00:00:00Z',
      '2024-04-01T00:00:00Z',
    ]);
    expect(state.invoices.map((i) => i.status)).toEqual(['pushed', 'pushed', 'staged']);
    expect(state.status).toBe('active');
  });

  it('is a no-op when repeated with the same asOf, and before the current period ends', () => {
    const s = activeQuarter();
    s.when(close('2024-02-15T00:00:00Z'));
    expect(s.when(close('2024-02-15T00:00:00Z'))).toEqual([]);
    expect(s.when(close('2024-02-29T23:59:59Z'))).toEqual([]);
  });

  it('completes the schedule once endDate has passed', () => {
    const s = activeQuarter();
    const events = s.when(close('2024-04-01T00:00:00Z'));
    expect(events.map((e) => e.type)).toEqual([
      'BillingPeriodUpdated',
      'BillingPeriodUpdated',
      'BillingPeriodUpdated',
      'BillingScheduleCompleted',
    ]);
    expect(events[2].data).toMatchObject({ currentPeriod: null });
    expect(s.state()!.status).toBe('completed');
    expect(s.when(close('2025-01-01T00:00:00Z'))).toEqual([]);
  });

  it('leaves drafts alone', () => {
    expect(given(create(), replace(interval())).when(close('2030-01-01T00:00:00Z'))).toEqual([]);
  });
});

describe('decide: bounded work (SCHEDULE_LIMITS, CLOSE_SLICE)', () => {
  const close = (asOf: string, resumeFrom?: string): BillingScheduleCommand => ({
    type: 'CloseElapsedPeriods',
    asOf,
    runId: 'run_1',
    resumeFrom,
  });
  const thousandYears = { endDate: '3024-01-01T00:00:00Z' };
  const dailyForever = interval({ billingCadence: 'P1D', ...thousandYears });

  it('refuses terms with more periods than the limit, naming the field and the limit', () => {
    expect(() => given(create({ endDate: '9999-01-01T00:00:00Z' }))).toThrow(
      expect.objectContaining({
        errors: [
          {
            field: 'endDate',
            message: `these terms make 95700 periods; a schedule has at most ${SCHEDULE_LIMITS.periods} periods`,
          },
        ],
      }),
    );
  });

  it('refuses intervals that make too many lines, and leaves the schedule as it was', () => {
    const s = given(create(thousandYears));
    expect(() => s.when(replace(...Array.from({ length: 1_000 }, () => dailyForever)))).toThrow(
      ValidationFailed,
    );
    expect(s.state()!.intervals).toEqual([]);
    expect(s.state()!.version).toBe(1);
  });

  it('refuses a PATCH of the terms that would multiply the lines past the limit', () => {
    const s = given(
      create({ ...thousandYears, periodPreset: 'P1Y' }),
      replace(...Array.from({ length: 9 }, () => dailyForever)),
    );
    expect(() => s.when(patch({ periodPreset: 'P1M' }))).toThrow(
      expect.objectContaining({
        errors: [expect.objectContaining({ field: 'periodPreset' })],
      }),
    );
  });

  it(`closes at most ${CLOSE_SLICE.periods} of 240 periods per decision, then completes`, () => {
    const twentyYears = () =>
      given(
        create({ endDate: '2044-01-01T00:00:00Z' }),
        replace(interval({ endDate: '2044-01-01T00:00:00Z' })),
        patch({ status: 'active' }),
      );
    const s = twentyYears();
    const asOf = '2050-01-01T00:00:00Z';
    const first = s.when(close(asOf));
    expect(first).toHaveLength(CLOSE_SLICE.periods);
    expect(first.every((e) => e.type === 'BillingPeriodUpdated')).toBe(true);
    const resumeFrom = s.state()!.currentPeriodStart!;
    // A dry run (nothing stored) resumes from where the previous slice left the schedule.
    expect(
      twentyYears()
        .when(close(asOf, resumeFrom))
        .map((e) => e.data),
    ).toEqual(s.when(close(asOf)).map((e) => e.data));
    const slices = [first.length, CLOSE_SLICE.periods];
    for (let events = s.when(close(asOf)); events.length > 0; events = s.when(close(asOf))) {
      slices.push(events.filter((e) => e.type === 'BillingPeriodUpdated').length);
      expect(events.length).toBeLessThanOrEqual(CLOSE_SLICE.periods + 1);
    }
    expect(slices.reduce((a, b) => a + b)).toBe(240);
    expect(s.state()!.status).toBe('completed');
  });
});
