/// <reference types="jest" />
/**
 * The behaviour every read-model adapter must have. Test-only (uses Jest globals); import it
 * from a spec: `import { describeBillingScheduleReadModelContract } from
 * '@app/read-models/read-model.contract'`. It only uses the ports, so it runs unchanged against
 * the in-memory and the MongoDB adapters.
 *
 * The events are real: commands run through the domain deciders, and the resulting events are
 * stored the way an event store hands them out (JSON, version per stream, position increasing
 * across streams). The expected state of each stream is the domain fold of its events, which
 * is exactly what the in-memory read model holds.
 */
import {
  ACCOUNT_SCHEDULES_STREAM_TYPE,
  BILLING_SCHEDULE_STREAM_TYPE,
  accountSchedulesStreamId,
  billingScheduleStreamId,
  decide,
  decideAccountSchedules,
  emptyAccountSchedules,
  evolve,
  evolveAccountSchedules,
  type AccountSchedulesCommand,
  type AccountSchedulesEvent,
  type AccountSchedulesState,
  type AssociationConfigInput,
  type BillingSchedule,
  type BillingScheduleCommand,
  type BillingScheduleEvent,
  type BillingScheduleState,
  type EditInput,
  type IntervalInput,
  type ScheduleInput,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import type { AccountSchedulesReadModel } from './account-schedules/account-schedules-read-model.port';
import type {
  BillingScheduleReadModel,
  DueSchedule,
} from './billing-schedules/billing-schedule-read-model.port';
import { ProjectionGapError } from './projection-gap-error';

export interface ReadModelFixture<M> {
  /** An empty read model. */
  readModel: M;
  /** Closes it and removes its storage. */
  cleanup: () => Promise<void>;
}

export type ReadModelFactory<M> = () => Promise<ReadModelFixture<M>>;

/** Keys and values MongoDB-protocol servers do not store as they are (see mongo-document-codec). */
const AWKWARD: Record<string, unknown> = {
  'com.acme.ref': 'dotted key',
  $price: 'dollar key',
  a$b: 'inner dollar',
  '%2E': 'looks escaped',
  '%array': ['looks like the nested-array marker'],
  '': 'empty key',
  matrix: [[1, 2], [], [[3]]],
  nested: { 'x.y': { $z: [[{ 'k.k': null }]] } },
  ['__proto__']: 'a key, not a prototype',
  unicode: 'é 😀',
  numbers: [0, 1.5, -2, 2 ** 40],
  flags: [true, false, null],
};

/** Events as the store hands them out. */
class EventLog {
  readonly events: StoredEvent[] = [];
  private readonly versions = new Map<string, number>();
  private position = 0;

  append(
    stream: { streamId: string; streamType: string; tenantId: string },
    decided: readonly { type: string; schemaVersion: number; data: unknown }[],
    at: string,
  ): StoredEvent[] {
    const stored = decided.map((event): StoredEvent => {
      const version = (this.versions.get(stream.streamId) ?? 0) + 1;
      this.versions.set(stream.streamId, version);
      this.position += 1;
      return JSON.parse(
        JSON.stringify({
          id: `evt_${this.position}`,
          type: event.type,
          schemaVersion: event.schemaVersion,
          occurredAt: at,
          data: event.data,
          metadata: { correlationId: `req_${this.position}`, causationId: `req_${this.position}` },
          ...stream,
          version,
          recordedAt: at,
          position: this.position,
        }),
      ) as StoredEvent;
    });
    this.events.push(...stored);
    return stored;
  }

  of(streamId: string): StoredEvent[] {
    return this.events.filter((e) => e.streamId === streamId);
  }
}

// ---------------------------------------------------------------------------------------------
// Billing schedules
// ---------------------------------------------------------------------------------------------

const A = 'merchant-a';
const B = 'merchant-b';

interface BillingWorld {
  events: StoredEvent[];
  log: EventLog;
  /** scheduleId -> the domain fold of its stream. */
  expected: Map<string, BillingSchedule>;
}

const scheduleInput = (overrides: Partial<ScheduleInput> = {}): ScheduleInput => ({
  startDate: '2024-01-01T00:00:00Z',
  endDate: '2024-07-01T00:00:00Z',
  billingAnchor: '2024-01-01T00:00:00Z',
  ...overrides,
});

const intervalInput = (overrides: Partial<IntervalInput> = {}): IntervalInput => ({
  baseQuantity: '2',
  billingCadence: 'P1M',
  startDate: '2024-01-01T00:00:00Z',
  endDate: '2024-07-01T00:00:00Z',
  unitPrice: '10.50',
  ...overrides,
});

/**
 * Two tenants, every event type, instants with and without milliseconds, equal createdAt
 * values, client metadata with awkward keys, and account events interleaved (other streams).
 */
function billingWorld(): BillingWorld {
  const log = new EventLog();
  const states = new Map<string, BillingScheduleState>();
  const run = (id: string, command: BillingScheduleCommand, now: string) => {
    const state = states.get(id) ?? null;
    let n = 0;
    const decided = decide(command, state, {
      now,
      newId: (prefix) => `${prefix}_${id}_${log.events.length}_${++n}`,
    });
    const tenantId =
      command.type === 'CreateBillingSchedule' ? command.merchantId : state!.merchantId;
    const stored = log.append(
      { streamId: billingScheduleStreamId(id), streamType: BILLING_SCHEDULE_STREAM_TYPE, tenantId },
      decided,
      now,
    );
    states.set(
      id,
      stored.reduce<BillingScheduleState>(
        (s, e) => evolve(s, e as unknown as BillingScheduleEvent, e.version),
        state,
      ),
    );
  };
  const create = (id: string, merchantId: string, at: string, input: Partial<ScheduleInput>) =>
    run(
      id,
      { type: 'CreateBillingSchedule', scheduleId: id, merchantId, input: scheduleInput(input) },
      at,
    );
  const intervals = (id: string, at: string, ...inputs: Partial<IntervalInput>[]) =>
    run(
      id,
      {
        type: 'ReplaceScheduleIntervals',
        intervals: (inputs.length ? inputs : [{}]).map(intervalInput),
      },
      at,
    );
  const patch = (id: string, at: string, p: Record<string, unknown>) =>
    run(id, { type: 'UpdateBillingSchedule', patch: p }, at);
  const activate = (id: string, at: string) => patch(id, at, { status: 'active' });
  const invoices = (id: string, at: string) => run(id, { type: 'GenerateScheduleInvoices' }, at);
  const close = (id: string, asOf: string) =>
    run(id, { type: 'CloseElapsedPeriods', asOf, runId: `run_${asOf}` }, asOf);
  const account = (accountId: string, at: string) =>
    log.append(
      {
        streamId: accountSchedulesStreamId(A, accountId),
        streamType: ACCOUNT_SCHEDULES_STREAM_TYPE,
        tenantId: A,
      },
      [
        {
          type: 'AccountScheduleDraftDiscarded',
          schemaVersion: 1,
          data: { accountId, discardedScheduleIds: [], discardedAt: at },
        },
      ],
      at,
    );

  // Commands interleave across streams, so every batch mixes them.
  create('bs_01', A, '2024-01-01T00:00:00Z', { orderId: 'ord_1', metadata: AWKWARD });
  create('bs_02', A, '2024-01-01T00:00:00.500Z', { subscriptionId: 'sub_1' });
  intervals('bs_01', '2024-01-01T00:01:00Z', {
    metadata: AWKWARD,
    usageFilter: { 'event.name': ['api.call'], any: [['a', 'b'], ['c']] },
  });
  create('bs_03', A, '2024-01-01T00:00:00.500Z', {
    orderId: 'ord_1',
    startDate: '2024-01-01T00:00:00.250Z',
    billingAnchor: '2024-01-01T00:00:00.250Z',
    endDate: '2024-07-01T00:00:00.250Z',
  });
  account('ACC-1', '2024-01-01T00:02:00Z');
  activate('bs_01', '2024-01-01T00:03:00Z');
  patch('bs_02', '2024-01-01T00:04:00Z', { metadata: { ...AWKWARD, changed: true } });
  intervals('bs_03', '2024-01-01T00:05:00Z', {
    startDate: '2024-01-01T00:00:00.250Z',
    endDate: '2024-07-01T00:00:00.250Z',
  });
  invoices('bs_01', '2024-01-01T00:06:00Z');
  activate('bs_03', '2024-01-01T00:07:00Z');
  for (const [id, at] of [
    ['bs_04', '2024-01-02T00:00:00Z'],
    ['bs_05', '2024-01-03T00:00:00Z'],
    ['bs_06', '2024-01-04T00:00:00Z'],
  ] as const) {
    create(id, A, at, { orderId: id === 'bs_06' ? 'ord_3' : 'ord_2' });
    intervals(id, at);
    activate(id, at);
  }
  patch('bs_04', '2024-01-05T00:00:00Z', { status: 'cancelled' });
  run('bs_05', { type: 'DeleteBillingSchedule' }, '2024-01-05T00:00:00Z');
  invoices('bs_06', '2024-01-05T00:00:00Z');
  account('ACC-2', '2024-01-05T00:00:01Z');
  close('bs_06', '2024-03-01T00:00:00Z');
  create('bs_07', A, '2024-01-05T00:00:00Z', { orderId: 'ord_4', endDate: '2024-02-01T00:00:00Z' });
  intervals('bs_07', '2024-01-05T00:00:00Z', { endDate: '2024-02-01T00:00:00Z' });
  activate('bs_07', '2024-01-05T00:00:00Z');
  close('bs_07', '2024-03-01T00:00:00Z');
  create('bs_08', B, '2024-01-06T00:00:00Z', { orderId: 'ord_1' });
  intervals('bs_08', '2024-01-06T00:00:00Z');
  activate('bs_08', '2024-01-06T00:00:00Z');
  create('bs_09', B, '2024-01-07T00:00:00Z', { subscriptionId: 'sub_1' });
  for (const [id, at] of [
    ['bs_12', '2024-01-08T00:00:00Z'],
    ['bs_10', '2024-01-09T00:00:00Z'],
    ['bs_14', '2024-01-08T00:00:00Z'],
    ['bs_11', '2024-01-08T00:00:00Z'],
    ['bs_13', '2024-01-10T00:00:00Z'],
  ] as const) {
    create(id, A, at, { orderId: `ord_${id}` });
    intervals(id, at);
    activate(id, at);
  }
  account('ACC-1', '2024-01-11T00:00:00Z');

  const expected = new Map<string, BillingSchedule>();
  for (const [id, state] of states) if (state) expected.set(id, state);
  return { events: log.events, log, expected };
}

export function describeBillingScheduleReadModelContract(
  name: string,
  factory: ReadModelFactory<BillingScheduleReadModel>,
): void {
  describe(`BillingScheduleReadModel contract: ${name}`, () => {
    const world = billingWorld();
    const { events, expected } = world;
    const fixtures: ReadModelFixture<BillingScheduleReadModel>[] = [];
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

    const ids = (page: { data: BillingSchedule[] }) => page.data.map((s) => s.id);
    const all = { limit: 1000, offset: 0 };

    it('the scenario covers what the contract relies on', () => {
      expect(new Set(events.map((e) => e.type))).toEqual(
        new Set([
          'BillingScheduleCreated',
          'BillingScheduleUpdated',
          'BillingScheduleActivated',
          'BillingScheduleCancelled',
          'BillingScheduleCompleted',
          'BillingScheduleDeleted',
          'ScheduleIntervalsReplaced',
          'ScheduleInvoicesGenerated',
          'BillingPeriodUpdated',
          'AccountScheduleDraftDiscarded',
        ]),
      );
      expect(expected.get('bs_01')).toMatchObject({
        status: 'active',
        currentPeriodEnd: '2024-02-01T00:00:00Z',
        metadata: AWKWARD,
      });
      expect(expected.get('bs_03')).toMatchObject({
        status: 'active',
        createdAt: '2024-01-01T00:00:00.500Z',
        currentPeriodEnd: '2024-02-01T00:00:00.250Z',
      });
      expect(expected.get('bs_06')?.currentPeriodEnd).toBe('2024-04-01T00:00:00Z');
      expect(expected.get('bs_06')?.invoices.some((i) => i.status === 'pushed')).toBe(true);
      expect(expected.get('bs_07')?.status).toBe('completed');
      expect(expected.get('bs_05')?.deletedAt).not.toBeNull();
    });

    describe('get', () => {
      it('returns the folded state of each schedule, exactly', async () => {
        const model = await built();
        for (const [id, schedule] of expected) {
          if (schedule.deletedAt !== null) continue;
          expect(await model.get(schedule.merchantId, id)).toStrictEqual(schedule);
        }
      });

      it('does not find other tenants’ schedules, soft-deleted ones, or unknown ids', async () => {
        const model = await built();
        expect(await model.get(B, 'bs_01')).toBeNull();
        expect(await model.get(A, 'bs_08')).toBeNull();
        expect(await model.get(A, 'bs_05')).toBeNull();
        expect(await model.get(A, 'bs_nope')).toBeNull();
        expect(await model.get('merchant', 'bs_01')).toBeNull();
      });
    });

    describe('list', () => {
      it('lists a tenant’s schedules newest first (instants compared as instants, ties by id desc)', async () => {
        const model = await built();
        const page = await model.list(A, {}, all);
        expect(ids(page)).toEqual([
          'bs_13',
          'bs_10',
          'bs_14',
          'bs_12',
          'bs_11',
          'bs_07',
          'bs_06',
          'bs_04',
          'bs_03',
          'bs_02',
          'bs_01',
        ]);
        expect(page.total).toBe(11);
        for (const schedule of page.data) expect(schedule).toStrictEqual(expected.get(schedule.id));
        expect(ids(await model.list(B, {}, all))).toEqual(['bs_09', 'bs_08']);
        expect(await model.list('merchant-c', {}, all)).toEqual({ data: [], total: 0 });
      });

      it('filters by status, orderId and subscriptionId, within the tenant, without deleted ones', async () => {
        const model = await built();
        const active = await model.list(A, { status: 'active' }, all);
        expect(ids(active)).toEqual([
          'bs_13',
          'bs_10',
          'bs_14',
          'bs_12',
          'bs_11',
          'bs_06',
          'bs_03',
          'bs_01',
        ]);
        expect(active.total).toBe(8);
        expect(ids(await model.list(A, { status: 'draft' }, all))).toEqual(['bs_02']);
        expect(ids(await model.list(A, { status: 'cancelled' }, all))).toEqual(['bs_04']);
        expect(ids(await model.list(A, { status: 'completed' }, all))).toEqual(['bs_07']);
        expect(ids(await model.list(A, { orderId: 'ord_1' }, all))).toEqual(['bs_03', 'bs_01']);
        expect(ids(await model.list(B, { orderId: 'ord_1' }, all))).toEqual(['bs_08']);
        expect(await model.list(A, { orderId: 'ord_2' }, all)).toMatchObject({ total: 1 });
        expect(ids(await model.list(A, { subscriptionId: 'sub_1' }, all))).toEqual(['bs_02']);
        expect(ids(await model.list(B, { subscriptionId: 'sub_1' }, all))).toEqual(['bs_09']);
        expect(ids(await model.list(A, { status: 'active', orderId: 'ord_1' }, all))).toEqual([
          'bs_03',
          'bs_01',
        ]);
        expect(await model.list(A, { status: 'draft', orderId: 'ord_1' }, all)).toEqual({
          data: [],
          total: 0,
        });
      });

      it('lists soft-deleted schedules too with includeDeleted, as they were when deleted', async () => {
        const model = await built();
        const withDeleted = await model.list(A, { includeDeleted: true }, all);
        const live = ids(await model.list(A, {}, all));
        expect(withDeleted.total).toBe(live.length + 1);
        expect(ids(withDeleted).filter((id) => id !== 'bs_05')).toEqual(live);
        const deleted = withDeleted.data.find((schedule) => schedule.id === 'bs_05');
        expect(deleted).toStrictEqual(expected.get('bs_05'));
        expect(deleted?.deletedAt).not.toBeNull();
        expect(ids(await model.list(B, { includeDeleted: true }, all))).toEqual(['bs_09', 'bs_08']);
      });

      it('pages with offset and limit; total counts every match', async () => {
        const model = await built();
        const full = ids(await model.list(A, {}, all));
        const pages: string[][] = [];
        for (let offset = 0; offset < 14; offset += 4) {
          const page = await model.list(A, {}, { limit: 4, offset });
          expect(page.total).toBe(11);
          pages.push(ids(page));
        }
        expect(pages.map((p) => p.length)).toEqual([4, 4, 3, 0]);
        expect(pages.flat()).toEqual(full);
        expect(await model.list(A, { status: 'active' }, { limit: 2, offset: 7 })).toMatchObject({
          total: 8,
          data: [expected.get('bs_01')],
        });
      });
    });

    describe('dueForPeriodUpdate', () => {
      const dueIds = (due: DueSchedule[]) => due.map((d) => d.id);

      it('finds active, undeleted schedules whose period ended at or before asOf, by id', async () => {
        const model = await built();
        const asOf = '2024-02-01T00:00:00Z';
        const due = await model.dueForPeriodUpdate({ asOf, limit: 100 });
        expect(due).toStrictEqual([
          { id: 'bs_01', merchantId: A },
          { id: 'bs_08', merchantId: B },
          { id: 'bs_10', merchantId: A },
          { id: 'bs_11', merchantId: A },
          { id: 'bs_12', merchantId: A },
          { id: 'bs_13', merchantId: A },
          { id: 'bs_14', merchantId: A },
        ]);
        // Milliseconds count: bs_03's period ends at .250.
        expect(
          dueIds(await model.dueForPeriodUpdate({ asOf: '2024-02-01T00:00:00.250Z', limit: 100 })),
        ).toEqual(['bs_01', 'bs_03', 'bs_08', 'bs_10', 'bs_11', 'bs_12', 'bs_13', 'bs_14']);
        expect(
          await model.dueForPeriodUpdate({ asOf: '2024-01-31T23:59:59.999Z', limit: 100 }),
        ).toEqual([]);
        expect(
          dueIds(await model.dueForPeriodUpdate({ asOf: '2024-04-01T00:00:00Z', limit: 100 })),
        ).toEqual([
          'bs_01',
          'bs_03',
          'bs_06',
          'bs_08',
          'bs_10',
          'bs_11',
          'bs_12',
          'bs_13',
          'bs_14',
        ]);
        // Another offset, same instant.
        expect(
          dueIds(
            await model.dueForPeriodUpdate({ asOf: '2024-02-01T01:00:00.250+01:00', limit: 100 }),
          ),
        ).toContain('bs_03');
      });

      it('narrows to one tenant', async () => {
        const model = await built();
        const asOf = '2024-02-01T00:00:00Z';
        expect(dueIds(await model.dueForPeriodUpdate({ tenantId: B, asOf, limit: 100 }))).toEqual([
          'bs_08',
        ]);
        expect(dueIds(await model.dueForPeriodUpdate({ tenantId: A, asOf, limit: 100 }))).toEqual([
          'bs_01',
          'bs_10',
          'bs_11',
          'bs_12',
          'bs_13',
          'bs_14',
        ]);
        expect(
          await model.dueForPeriodUpdate({ tenantId: 'merchant-c', asOf, limit: 100 }),
        ).toEqual([]);
      });

      it('pages by id with afterId and limit', async () => {
        const model = await built();
        const asOf = '2024-04-01T00:00:00Z';
        const pages: string[][] = [];
        let afterId: string | undefined;
        for (;;) {
          const page = dueIds(await model.dueForPeriodUpdate({ asOf, afterId, limit: 4 }));
          pages.push(page);
          if (page.length < 4) break;
          afterId = page.at(-1);
        }
        expect(pages).toEqual([
          ['bs_01', 'bs_03', 'bs_06', 'bs_08'],
          ['bs_10', 'bs_11', 'bs_12', 'bs_13'],
          ['bs_14'],
        ]);
        expect(
          dueIds(await model.dueForPeriodUpdate({ tenantId: A, asOf, afterId: 'bs_06', limit: 2 })),
        ).toEqual(['bs_10', 'bs_11']);
        expect(await model.dueForPeriodUpdate({ asOf, afterId: 'bs_14', limit: 4 })).toEqual([]);
      });
    });

    describe('applying', () => {
      /** Everything the port shows of a model. */
      const snapshot = async (model: BillingScheduleReadModel) => ({
        byId: await Promise.all([...expected.values()].map((s) => model.get(s.merchantId, s.id))),
        lists: await Promise.all([A, B].map((tenant) => model.list(tenant, {}, all))),
        due: await model.dueForPeriodUpdate({ asOf: '2030-01-01T00:00:00Z', limit: 1000 }),
        checkpoint: await model.checkpoint(),
      });
      let reference: Awaited<ReturnType<typeof snapshot>>;

      beforeEach(async () => {
        reference ??= await snapshot(await built());
      });

      it('the reference is the domain fold', () => {
        expect(reference.byId).toStrictEqual(
          [...expected.values()].map((s) => (s.deletedAt === null ? s : null)),
        );
        expect(reference.checkpoint).toBe(events.at(-1)!.position);
      });

      it('applying every event twice changes nothing', async () => {
        const twice = await open();
        for (const event of events) {
          await twice.apply([event, event]);
          await twice.apply([event]);
        }
        expect(await snapshot(twice)).toStrictEqual(reference);
      });

      it('replaying a batch in full, or in part, changes nothing', async () => {
        const model = await built();
        await model.apply(events);
        await model.apply(events.slice(10, 40));
        await model.apply([...events].reverse());
        expect(await snapshot(model)).toStrictEqual(reference);
      });

      it('one event at a time gives the same model as one batch', async () => {
        const model = await open();
        for (const event of events) await model.apply([event]);
        expect(await snapshot(model)).toStrictEqual(reference);
      });

      it('a gap throws ProjectionGapError; after the missing events, the rest applies', async () => {
        const model = await open();
        const stream = billingScheduleStreamId('bs_01');
        const missing = world.log.of(stream)[1];
        const batch = events.filter((e) => e !== missing);
        const gapAt = batch.findIndex((e) => e.streamId === stream && e.version === 3);

        const error = await model.apply(batch).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ProjectionGapError);
        expect(error).toMatchObject({ streamId: stream, expectedVersion: 2, gotVersion: 3 });
        // The events before the gap are applied, the one past it is not.
        expect((await model.get(A, 'bs_01'))?.version).toBe(1);
        expect(await model.get(A, 'bs_02')).toStrictEqual(
          fold(batch.slice(0, gapAt), billingScheduleStreamId('bs_02')),
        );
        expect(await model.checkpoint()).toBe(batch[gapAt - 1].position);

        // What a consumer does: fetch the missing versions from the store, then go on.
        await applyFillingGaps(model, batch, world.log);
        expect(await snapshot(model)).toStrictEqual(reference);
      });

      it('a stream that starts past version 1 is a gap too', async () => {
        const model = await open();
        const [first, second] = world.log.of(billingScheduleStreamId('bs_02'));
        await expect(model.apply([second])).rejects.toMatchObject({
          name: 'ProjectionGapError',
          streamId: billingScheduleStreamId('bs_02'),
          expectedVersion: 1,
          gotVersion: 2,
        });
        expect(await model.checkpoint()).toBe(0);
        await model.apply([first, second]);
        expect((await model.get(A, 'bs_02'))?.version).toBe(2);
      });

      it('keeps the highest position applied as its checkpoint, other streams included', async () => {
        const model = await open();
        expect(await model.checkpoint()).toBe(0);
        const account = events.find((e) => e.streamType === ACCOUNT_SCHEDULES_STREAM_TYPE)!;
        await model.apply([account]);
        expect(await model.checkpoint()).toBe(account.position);
        // A later stream first, then an earlier one: the checkpoint never moves back.
        const bs09 = world.log.of(billingScheduleStreamId('bs_09'));
        const bs02 = world.log.of(billingScheduleStreamId('bs_02'));
        await model.apply(bs09);
        await model.apply(bs02);
        expect(await model.checkpoint()).toBe(bs09.at(-1)!.position);
        expect(await model.get(A, 'bs_02')).toStrictEqual(expected.get('bs_02'));
        await model.apply([]);
        expect(await model.checkpoint()).toBe(bs09.at(-1)!.position);
        await model.apply(events);
        expect(await model.checkpoint()).toBe(events.at(-1)!.position);
      });
    });
  });
}

/** The billing-schedule state of one stream after some of the events. */
function fold(events: readonly StoredEvent[], streamId: string): BillingScheduleState {
  return events
    .filter((e) => e.streamId === streamId)
    .reduce<BillingScheduleState>(
      (s, e) => evolve(s, e as unknown as BillingScheduleEvent, e.version),
      null,
    );
}

/** A projector's loop: on a gap, apply the missing versions from the store, then the rest. */
async function applyFillingGaps(
  model: { apply(events: readonly StoredEvent[]): Promise<void> },
  batch: readonly StoredEvent[],
  store: EventLog,
): Promise<void> {
  let pending = [...batch];
  for (let gaps = 0; gaps < 100; gaps++) {
    try {
      await model.apply(pending);
      return;
    } catch (error) {
      if (!(error instanceof ProjectionGapError)) throw error;
      await model.apply(
        store
          .of(error.streamId)
          .filter((e) => e.version >= error.expectedVersion && e.version <= error.gotVersion),
      );
      const at = pending.findIndex(
        (e) => e.streamId === error.streamId && e.version === error.gotVersion,
      );
      pending = pending.slice(at + 1);
    }
  }
  throw new Error('gaps never closed');
}

// ---------------------------------------------------------------------------------------------
// Account schedules
// ---------------------------------------------------------------------------------------------

interface AccountWorld {
  events: StoredEvent[];
  log: EventLog;
  /** [tenantId, accountId, expected state] */
  expected: [string, string, AccountSchedulesState][];
}

const cycle = {
  interval: 'MONTHLY' as const,
  startOffset: { dayOffset: '1' },
  gracePeriod: 3,
};
const association = (plan: string): AssociationConfigInput => ({
  pricePlanId: plan,
  pricePlanInfo: { name: `Plan ${plan}`, description: 'd.e$c' },
  pricingCycleConfig: cycle,
  supportedCurrencies: ['USD', 'EUR'],
  pricingRules: [
    {
      id: 'rule.1',
      name: 'Rule',
      version: 1,
      order: 1,
      computation: 'usage * 2',
      action: {
        type: 'ADD',
        metadata: { 'invoice.line': 'x', $ref: 'y', '%': 'z', plain: 'w' },
      },
    },
  ],
});
const associate = (plan: string, from: string, until?: string): EditInput => ({
  mode: 'ASSOCIATE',
  effectiveFrom: from,
  ...(until ? { effectiveUntil: until } : {}),
  associationConfig: association(plan),
});

/** Accounts of tenants whose ids contain dashes, licenses keyed by awkward ids, billing events interleaved. */
function accountWorld(): AccountWorld {
  const log = new EventLog();
  const states = new Map<string, AccountSchedulesState>();
  const run = (
    tenantId: string,
    accountId: string,
    command: AccountSchedulesCommand,
    now: string,
  ) => {
    const streamId = accountSchedulesStreamId(tenantId, accountId);
    const state = states.get(streamId) ?? emptyAccountSchedules(tenantId, accountId);
    let n = 0;
    const decided = decideAccountSchedules(command, state, {
      now,
      newId: (prefix) => `${prefix}.${String(log.events.length * 100 + ++n).padStart(24, '0')}`,
    });
    const stored = log.append(
      { streamId, streamType: ACCOUNT_SCHEDULES_STREAM_TYPE, tenantId },
      decided,
      now,
    );
    states.set(
      streamId,
      stored.reduce(
        (s, e) => evolveAccountSchedules(s, e as unknown as AccountSchedulesEvent, e.version),
        state,
      ),
    );
  };
  const edit = (t: string, a: string, now: string, ...edits: EditInput[]) =>
    run(t, a, { type: 'EditAccountSchedules', edits }, now);
  const finalize = (t: string, a: string, now: string, licenses: [string, number][] = []) =>
    run(
      t,
      a,
      {
        type: 'FinalizeAccountSchedules',
        mergeSchedules: true,
        preActions: licenses.map(([licenseId, quantity]) => ({
          type: 'GRANT_LICENSE',
          config: { licenseId, updateType: 'ABSOLUTE', quantity },
        })),
      },
      now,
    );
  const billing = (id: string, now: string) =>
    log.append(
      {
        streamId: billingScheduleStreamId(id),
        streamType: BILLING_SCHEDULE_STREAM_TYPE,
        tenantId: 'tenant-1',
      },
      decide(
        {
          type: 'CreateBillingSchedule',
          scheduleId: id,
          merchantId: 'tenant-1',
          input: scheduleInput({ orderId: 'ord_1' }),
        },
        null,
        { now, newId: (prefix) => `${prefix}_1` },
      ),
      now,
    );

  edit('tenant-1', 'ACC-1', '2024-06-01T10:00:00Z', associate('A', '2024-01-01', '2024-06-01'));
  edit('a-b', 'c', '2024-06-01T10:00:01Z', associate('P', '2024-02-01'));
  billing('bs_1', '2024-06-01T10:00:02Z');
  finalize('tenant-1', 'ACC-1', '2024-06-01T10:01:00Z', [
    ['seats.pro', 5],
    ['$admins', 2],
    ['%2E', 1],
    ['plain', 3],
  ]);
  edit('a', 'b-c', '2024-06-01T10:01:01Z', associate('Q', '2024-03-01', '2024-04-01'));
  edit('tenant-1', 'ACC-1', '2024-06-01T10:02:00Z', associate('B', '2024-03-01'));
  run('tenant-1', 'ACC-1', { type: 'DiscardAccountSchedules' }, '2024-06-01T10:03:00Z');
  finalize('a-b', 'c', '2024-06-01T10:03:01Z', [['seats', 1]]);
  billing('bs_2', '2024-06-01T10:03:02Z');
  edit('tenant-1', 'ACC-1', '2024-06-01T10:04:00Z', associate('C', '2024-05-01', '2024-09-01'));
  finalize('tenant-1', 'ACC-1', '2024-06-01T10:05:00Z', [['seats.pro', 7]]);
  edit('tenant-1', 'ACC-1', '2024-06-01T10:06:00Z', associate('D', '2024-10-01'));
  edit('tenant', 'ACC-1', '2024-06-01T10:07:00Z', associate('E', '2024-01-01'));

  return {
    events: log.events,
    log,
    expected: [...states.values()].map((s) => [s.tenantId, s.accountId, s]),
  };
}

export function describeAccountSchedulesReadModelContract(
  name: string,
  factory: ReadModelFactory<AccountSchedulesReadModel>,
): void {
  describe(`AccountSchedulesReadModel contract: ${name}`, () => {
    const world = accountWorld();
    const { events, expected } = world;
    const fixtures: ReadModelFixture<AccountSchedulesReadModel>[] = [];
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

    const snapshot = async (model: AccountSchedulesReadModel) => ({
      accounts: await Promise.all(expected.map(([t, a]) => model.get(t, a))),
      checkpoint: await model.checkpoint(),
    });
    let reference: Awaited<ReturnType<typeof snapshot>>;

    beforeEach(async () => {
      reference ??= await snapshot(await built());
    });

    it('the scenario covers what the contract relies on', () => {
      const acc1 = expected.find(([t, a]) => t === 'tenant-1' && a === 'ACC-1')![2];
      expect(Object.keys(acc1.licenses).sort()).toEqual(['$admins', '%2E', 'plain', 'seats.pro']);
      expect(acc1).toMatchObject({ finalizeCount: 2, version: 7 });
      expect(acc1.draft).not.toBeNull();
      expect(acc1.active.length).toBeGreaterThan(0);
      expect(new Set(events.map((e) => e.type)).size).toBe(4);
    });

    it('returns the folded state of each account, exactly', async () => {
      const model = await built();
      for (const [tenantId, accountId, state] of expected) {
        expect(await model.get(tenantId, accountId)).toStrictEqual(state);
      }
      expect(reference.accounts).toStrictEqual(expected.map(([, , s]) => s));
      expect(reference.checkpoint).toBe(events.at(-1)!.position);
    });

    it('keeps tenants apart, also when tenant and account ids contain dashes', async () => {
      const model = await built();
      expect((await model.get('a-b', 'c'))?.tenantId).toBe('a-b');
      expect((await model.get('a', 'b-c'))?.tenantId).toBe('a');
      expect(await model.get('a', 'b')).toBeNull();
      expect(await model.get('other', 'ACC-1')).toBeNull();
      expect(await model.get('tenant-1', 'ACC-2')).toBeNull();
      expect((await model.get('tenant', 'ACC-1'))?.version).toBe(1);
      expect(await model.get('tenant-1', 'ACC-1')).toStrictEqual(
        expected.find(([t, a]) => t === 'tenant-1' && a === 'ACC-1')![2],
      );
    });

    it('applying every event twice, or replaying a batch, changes nothing', async () => {
      const twice = await open();
      for (const event of events) {
        await twice.apply([event, event]);
        await twice.apply([event]);
      }
      expect(await snapshot(twice)).toStrictEqual(reference);
      const replayed = await built();
      await replayed.apply(events);
      await replayed.apply([...events].reverse());
      expect(await snapshot(replayed)).toStrictEqual(reference);
    });

    it('one event at a time gives the same model as one batch', async () => {
      const model = await open();
      for (const event of events) await model.apply([event]);
      expect(await snapshot(model)).toStrictEqual(reference);
    });

    it('a gap throws ProjectionGapError; after the missing events, the rest applies', async () => {
      const model = await open();
      const stream = accountSchedulesStreamId('tenant-1', 'ACC-1');
      const missing = world.log.of(stream).slice(1, 3);
      const batch = events.filter((e) => !missing.includes(e));
      const gapAt = batch.findIndex((e) => e.streamId === stream && e.version === 4);

      const error = await model.apply(batch).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProjectionGapError);
      expect(error).toMatchObject({ streamId: stream, expectedVersion: 2, gotVersion: 4 });
      expect((await model.get('tenant-1', 'ACC-1'))?.version).toBe(1);
      expect(await model.checkpoint()).toBe(batch[gapAt - 1].position);

      await applyFillingGaps(model, batch, world.log);
      expect(await snapshot(model)).toStrictEqual(reference);
    });

    it('keeps the highest position applied as its checkpoint, other streams included', async () => {
      const model = await open();
      expect(await model.checkpoint()).toBe(0);
      const billing = events.filter((e) => e.streamType === BILLING_SCHEDULE_STREAM_TYPE);
      await model.apply(billing);
      expect(await model.checkpoint()).toBe(billing.at(-1)!.position);
      expect(await model.get('tenant-1', 'bs_1')).toBeNull();
      const later = world.log.of(accountSchedulesStreamId('tenant', 'ACC-1'));
      const earlier = world.log.of(accountSchedulesStreamId('a', 'b-c'));
      await model.apply(later);
      await model.apply(earlier);
      expect(await model.checkpoint()).toBe(later.at(-1)!.position);
      expect(await model.get('a', 'b-c')).not.toBeNull();
      await model.apply(events);
      expect(await snapshot(model)).toStrictEqual(reference);
    });
  });
}
