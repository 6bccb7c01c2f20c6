/// <reference types="jest" />
/**
 * The behaviour every billing-periods read model must have (test-only, Jest globals): the
 * stored periods of each schedule are the engine's output for its folded terms and intervals,
 * page by page, and applying is idempotent and version-guarded like every read model.
 */
import {
  BILLING_SCHEDULE_STREAM_TYPE,
  billingPeriods,
  billingScheduleStreamId,
  decide,
  evolve,
  type BillingScheduleCommand,
  type BillingScheduleEvent,
  type BillingScheduleState,
  type IntervalInput,
  type ScheduleInput,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { ProjectionGapError } from '../projection-gap-error';
import type { ReadModelFactory, ReadModelFixture } from '../read-model.contract';
import type { BillingPeriodsReadModel } from './billing-periods-read-model.port';

/** Runs billing-schedule commands through the decider and stores the events as a store would. */
export class ScheduleLog {
  readonly events: StoredEvent[] = [];
  readonly states = new Map<string, BillingScheduleState>();
  private position = 0;

  /** The events the command appended; a command the decider refuses appends nothing. */
  run(id: string, tenantId: string, command: BillingScheduleCommand, now: string): StoredEvent[] {
    const state = this.states.get(id) ?? null;
    let n = 0;
    let decided: BillingScheduleEvent[];
    try {
      decided = decide(command, state, {
        now,
        newId: (prefix) => `${prefix}_${id}_${this.position}_${++n}`,
      });
    } catch {
      return [];
    }
    const stored = decided.map((event, i): StoredEvent => {
      this.position += 1;
      return JSON.parse(
        JSON.stringify({
          id: `evt_${this.position}`,
          type: event.type,
          schemaVersion: event.schemaVersion,
          occurredAt: now,
          data: event.data,
          metadata: { correlationId: `req_${this.position}`, causationId: `req_${this.position}` },
          streamId: billingScheduleStreamId(id),
          streamType: BILLING_SCHEDULE_STREAM_TYPE,
          tenantId,
          version: (state?.version ?? 0) + i + 1,
          recordedAt: now,
          position: this.position,
        }),
      ) as StoredEvent;
    });
    this.events.push(...stored);
    this.states.set(
      id,
      stored.reduce<BillingScheduleState>(
        (s, e) => evolve(s, e as unknown as BillingScheduleEvent, e.version),
        state,
      ),
    );
    return stored;
  }

  of(streamId: string): StoredEvent[] {
    return this.events.filter((e) => e.streamId === streamId);
  }
}

const A = 'merchant-a';
const B = 'merchant-b';

export const scheduleInput = (overrides: Partial<ScheduleInput> = {}): ScheduleInput => ({
  startDate: '2024-01-15T00:00:00Z',
  endDate: '2025-01-01T00:00:00Z',
  billingAnchor: '2024-02-01T00:00:00Z',
  orderId: 'ord_1',
  ...overrides,
});

export const intervalInput = (overrides: Partial<IntervalInput> = {}): IntervalInput => ({
  baseQuantity: '2',
  billingCadence: 'P1M',
  startDate: '2024-01-15T00:00:00Z',
  endDate: '2025-01-01T00:00:00Z',
  unitPrice: '10.50',
  ...overrides,
});

/** Every kind of billing-schedule event, over several schedules and two tenants. */
function scenario(): ScheduleLog {
  const log = new ScheduleLog();
  const at = (day: number) => new Date(Date.UTC(2024, 0, 1 + day)).toISOString();
  const create = (id: string, tenant: string, day: number, input: Partial<ScheduleInput> = {}) =>
    log.run(
      id,
      tenant,
      {
        type: 'CreateBillingSchedule',
        scheduleId: id,
        merchantId: tenant,
        input: scheduleInput(input),
      },
      at(day),
    );
  const intervals = (
    id: string,
    tenant: string,
    day: number,
    ...inputs: Partial<IntervalInput>[]
  ) =>
    log.run(
      id,
      tenant,
      { type: 'ReplaceScheduleIntervals', intervals: inputs.map(intervalInput) },
      at(day),
    );
  const patch = (id: string, tenant: string, day: number, p: Record<string, unknown>) =>
    log.run(id, tenant, { type: 'UpdateBillingSchedule', patch: p }, at(day));

  create('bs_1', A, 0, { prorationPolicy: 'daily', paymentTermDays: 30 });
  create('bs_2', A, 0, {
    periodPreset: 'P3M',
    alignmentPolicy: 'calendar',
    timezone: 'Europe/Berlin',
  });
  intervals('bs_1', A, 1, {}, { billingCadence: 'one_off', unitPrice: '99.99', baseQuantity: '1' });
  patch('bs_1', A, 1, { endDate: '2025-03-01T00:00:00Z', metadata: { 'a.b': 1 } });
  intervals(
    'bs_1',
    A,
    1,
    { quantityTransitions: [{ effectiveDate: '2024-05-10T00:00:00Z', quantity: '5' }] },
    { billingMode: 'arrears', startDate: '2024-03-01T00:00:00Z', metadata: { $x: [[1]] } },
  );
  patch('bs_1', A, 2, { status: 'active' });
  log.run('bs_1', A, { type: 'GenerateScheduleInvoices' }, at(2));
  log.run(
    'bs_1',
    A,
    { type: 'CloseElapsedPeriods', asOf: '2024-04-01T00:00:00Z', runId: 'r1' },
    at(90),
  );
  intervals('bs_2', A, 3, { endDate: '2024-09-01T00:00:00Z' });
  patch('bs_2', A, 3, { paymentTermDays: 10 });
  create('bs_3', A, 4);
  log.run('bs_3', A, { type: 'DeleteBillingSchedule' }, at(5));
  create('bs_4', B, 4, { periodPreset: 'single' });
  intervals('bs_4', B, 5, { billingCadence: 'P1Y', unitPrice: '1200' });
  patch('bs_4', B, 6, { status: 'cancelled' });
  return log;
}

export function describeBillingPeriodsReadModelContract(
  name: string,
  factory: ReadModelFactory<BillingPeriodsReadModel>,
): void {
  describe(`BillingPeriodsReadModel contract: ${name}`, () => {
    const log = scenario();
    const { events } = log;
    const fixtures: ReadModelFixture<BillingPeriodsReadModel>[] = [];
    const open = async () => {
      const fixture = await factory();
      fixtures.push(fixture);
      return fixture.readModel;
    };
    const built = async () => {
      const model = await open();
      await model.apply(events);
      return model;
    };
    afterEach(async () => {
      await Promise.all(fixtures.splice(0).map((f) => f.cleanup()));
    });

    const all = { offset: 0, limit: 100_000 };
    const live = ['bs_1', 'bs_2', 'bs_4'] as const;
    const tenantOf = (id: string) => (id === 'bs_4' ? B : A);
    const snapshot = async (model: BillingPeriodsReadModel) => ({
      pages: await Promise.all(live.map((id) => model.page(tenantOf(id), id, all))),
      checkpoint: await model.checkpoint(),
    });

    it('the scenario covers what the contract relies on', () => {
      expect(new Set(events.map((e) => e.type))).toEqual(
        new Set([
          'BillingScheduleCreated',
          'BillingScheduleUpdated',
          'BillingScheduleActivated',
          'BillingScheduleCancelled',
          'BillingScheduleDeleted',
          'ScheduleIntervalsReplaced',
          'ScheduleInvoicesGenerated',
          'BillingPeriodUpdated',
        ]),
      );
      expect(log.states.get('bs_1')).toMatchObject({ status: 'active', intervals: [{}, {}] });
    });

    it('stores, per schedule, the engine’s periods of its folded terms and intervals, with its version', async () => {
      const model = await built();
      for (const id of live) {
        const state = log.states.get(id)!;
        const expected = billingPeriods(state, state.intervals);
        expect(expected.length).toBeGreaterThan(0);
        expect(await model.page(state.merchantId, id, all)).toStrictEqual({
          version: state.version,
          materialised: true,
          data: expected,
          total: expected.length,
        });
      }
    });

    it('answers pages by index, also past the end', async () => {
      const model = await built();
      const state = log.states.get('bs_1')!;
      const expected = billingPeriods(state, state.intervals);
      for (const [offset, limit] of [
        [0, 1],
        [3, 4],
        [expected.length - 2, 100],
        [expected.length, 10],
        [expected.length + 5, 10],
      ]) {
        expect(await model.page(A, 'bs_1', { offset, limit })).toMatchObject({
          data: expected.slice(offset, offset + limit),
          total: expected.length,
        });
      }
    });

    it('does not find other tenants’ schedules, deleted ones, or unknown ids', async () => {
      const model = await built();
      expect(await model.page(B, 'bs_1', all)).toBeNull();
      expect(await model.page(A, 'bs_4', all)).toBeNull();
      expect(await model.page(A, 'bs_3', all)).toBeNull();
      expect(await model.page(A, 'bs_nope', all)).toBeNull();
    });

    it('applying every event twice, or replaying batches, changes nothing', async () => {
      const reference = await snapshot(await built());
      const twice = await open();
      for (const event of events) await twice.apply([event, event]);
      expect(await snapshot(twice)).toStrictEqual(reference);
      const replayed = await built();
      await replayed.apply(events.slice(3, 12));
      await replayed.apply([...events].reverse());
      expect(await snapshot(replayed)).toStrictEqual(reference);
    });

    it('a gap throws ProjectionGapError and applies what came before; the rest applies after the missing events', async () => {
      const model = await open();
      const stream = billingScheduleStreamId('bs_1');
      const missing = log.of(stream)[1];
      const batch = events.filter((e) => e !== missing);
      const gapAt = batch.findIndex((e) => e.streamId === stream && e.version === 3);
      const error = await model.apply(batch).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProjectionGapError);
      expect(error).toMatchObject({ streamId: stream, expectedVersion: 2, gotVersion: 3 });
      expect((await model.page(A, 'bs_1', all))?.version).toBe(1);
      expect(await model.checkpoint()).toBe(batch[gapAt - 1].position);
      await model.apply([missing]);
      await model.apply(batch.slice(gapAt));
      expect(await snapshot(model)).toStrictEqual(await snapshot(await built()));
    });

    it('keeps the highest position applied as its checkpoint', async () => {
      const model = await open();
      expect(await model.checkpoint()).toBe(0);
      const bs4 = log.of(billingScheduleStreamId('bs_4'));
      await model.apply(bs4);
      await model.apply(log.of(billingScheduleStreamId('bs_2')));
      expect(await model.checkpoint()).toBe(bs4.at(-1)!.position);
      await model.apply(events);
      expect(await model.checkpoint()).toBe(events.at(-1)!.position);
    });
  });
}
