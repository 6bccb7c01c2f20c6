import { PeriodicBillingPeriodRunner } from '../apps/api/src/billing-period-task/periodic-billing-period-runner';
import {
  intervalBody,
  scheduleBody,
  startTestApp,
  TENANT_B,
  type TestApp,
} from './support/test-app';

const TASK = '/v1/tasks/scheduled/schedule-update-billing-period';

describe('POST /v1/tasks/scheduled/schedule-update-billing-period', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  /** A monthly schedule Jan–Apr 2024, 2 × 12.50, invoices staged, then activated. */
  async function activeSchedule(key?: string, overrides: Record<string, unknown> = {}) {
    const auth = t.auth(key);
    const created = await t
      .http()
      .post('/v0/billingSchedules')
      .set(auth)
      .send(scheduleBody({ endDate: '2024-04-01T00:00:00Z', ...overrides }));
    const id = created.body.id;
    await t
      .http()
      .put(`/v0/billingSchedules/${id}/intervals`)
      .set(auth)
      .send({
        intervals: [
          intervalBody({ endDate: '2024-04-01T00:00:00Z', baseQuantity: '2', unitPrice: '12.50' }),
        ],
      });
    await t.http().post(`/v0/billingSchedules/${id}/invoices`).set(auth);
    const active = await t
      .http()
      .patch(`/v0/billingSchedules/${id}`)
      .set(auth)
      .send({ status: 'active' });
    expect(active.body.status).toBe('active');
    return id as string;
  }

  const events = async (id: string, key?: string) =>
    (await t.http().get(`/v0/billingSchedules/${id}/events?limit=100`).set(t.auth(key))).body
      .data as {
      type: string;
      version: number;
      data: Record<string, unknown>;
      metadata: Record<string, string>;
    }[];

  // Each test gets its own tenant's worth of schedules by cleaning up what is due first.
  beforeEach(async () => {
    await t.http().post(TASK).set(t.auth()).send({ asOf: '2100-01-01T00:00:00Z' });
    await t.http().post(TASK).set(t.auth(TENANT_B.key)).send({ asOf: '2100-01-01T00:00:00Z' });
  });

  it('closes exactly the elapsed periods, with amounts and lines, and pushes their invoices', async () => {
    const id = await activeSchedule();
    const res = await t
      .http()
      .post(TASK)
      .set(t.auth())
      .set('X-Request-Id', 'task-req-1')
      .send({ asOf: '2024-03-01T00:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      asOf: '2024-03-01T00:00:00Z',
      schedulesScanned: 1,
      schedulesAdvanced: 1,
      periodsClosed: 2,
      schedulesCompleted: 0,
    });
    expect(res.body.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof res.body.message).toBe('string');

    const schedule = (await t.http().get(`/v0/billingSchedules/${id}`).set(t.auth())).body;
    expect([schedule.currentPeriodStart, schedule.currentPeriodEnd]).toEqual([
      '2024-03-01T00:00:00Z',
      '2024-04-01T00:00:00Z',
    ]);
    const invoices = (await t.http().get(`/v0/billingSchedules/${id}/invoices`).set(t.auth())).body
      .data;
    expect(
      invoices.map((i: { periodStart: string; status: string }) => [i.periodStart, i.status]),
    ).toEqual([
      ['2024-03-01T00:00:00Z', 'staged'],
      ['2024-02-01T00:00:00Z', 'pushed'],
      ['2024-01-01T00:00:00Z', 'pushed'],
    ]);

    const updates = (await events(id)).filter((e) => e.type === 'BillingPeriodUpdated');
    expect(updates).toHaveLength(2);
    expect(updates[0].data).toMatchObject({
      closedPeriod: {
        index: 0,
        startDate: '2024-01-01T00:00:00Z',
        endDate: '2024-02-01T00:00:00Z',
        amount: '25.00',
      },
      currentPeriod: { startDate: '2024-02-01T00:00:00Z', endDate: '2024-03-01T00:00:00Z' },
      runId: res.body.runId,
    });
    expect(
      (updates[0].data.closedPeriod as { lines: { subtotal: string }[] }).lines[0].subtotal,
    ).toBe('25.00');
    expect(updates[1].data).toMatchObject({ closedPeriod: { index: 1, amount: '25.00' } });
    expect(updates[0].metadata).toMatchObject({
      correlationId: 'task-req-1',
      causationId: res.body.runId,
    });
  });

  it('changes nothing when run again with the same asOf', async () => {
    const id = await activeSchedule();
    await t.http().post(TASK).set(t.auth()).send({ asOf: '2024-02-15T00:00:00Z' });
    const before = await events(id);
    const again = await t.http().post(TASK).set(t.auth()).send({ asOf: '2024-02-15T00:00:00Z' });
    expect(again.body).toMatchObject({
      schedulesScanned: 0,
      schedulesAdvanced: 0,
      periodsClosed: 0,
      schedulesCompleted: 0,
    });
    expect(await events(id)).toEqual(before);
  });

  it('dryRun reports what would close and changes nothing', async () => {
    const id = await activeSchedule();
    const before = await events(id);
    const dry = await t
      .http()
      .post(TASK)
      .set(t.auth())
      .send({ asOf: '2024-04-01T00:00:00Z', dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      schedulesScanned: 1,
      schedulesAdvanced: 1,
      periodsClosed: 3,
      schedulesCompleted: 1,
    });
    expect(await events(id)).toEqual(before);
    expect((await t.http().get(`/v0/billingSchedules/${id}`).set(t.auth())).body.status).toBe(
      'active',
    );
  });

  it('completes a schedule whose endDate has passed', async () => {
    const id = await activeSchedule();
    const res = await t.http().post(TASK).set(t.auth()).send({ asOf: '2024-04-01T00:00:00Z' });
    expect(res.body).toMatchObject({ periodsClosed: 3, schedulesCompleted: 1 });
    const schedule = (await t.http().get(`/v0/billingSchedules/${id}`).set(t.auth())).body;
    expect(schedule).toMatchObject({
      status: 'completed',
      currentPeriodStart: null,
      currentPeriodEnd: null,
    });
    expect((await events(id)).map((e) => e.type).slice(-2)).toEqual([
      'BillingPeriodUpdated',
      'BillingScheduleCompleted',
    ]);
    const invoices = (await t.http().get(`/v0/billingSchedules/${id}/invoices`).set(t.auth())).body
      .data;
    expect(invoices.every((i: { status: string }) => i.status === 'pushed')).toBe(true);
  });

  it("leaves drafts and other tenants' schedules untouched", async () => {
    const draft = await t
      .http()
      .post('/v0/billingSchedules')
      .set(t.auth())
      .send(scheduleBody({ endDate: '2024-04-01T00:00:00Z' }));
    await t
      .http()
      .put(`/v0/billingSchedules/${draft.body.id}/intervals`)
      .set(t.auth())
      .send({ intervals: [intervalBody({ endDate: '2024-04-01T00:00:00Z' })] });
    const foreign = await activeSchedule(TENANT_B.key);
    const foreignBefore = await events(foreign, TENANT_B.key);
    const res = await t.http().post(TASK).set(t.auth()).send({ asOf: '2024-03-01T00:00:00Z' });
    expect(res.body.schedulesScanned).toBe(0);
    expect((await events(draft.body.id)).map((e) => e.type)).toEqual([
      'BillingScheduleCreated',
      'ScheduleIntervalsReplaced',
    ]);
    expect(await events(foreign, TENANT_B.key)).toEqual(foreignBefore);
  });

  it('accepts an absent body (asOf = now) and validates a present one', async () => {
    const empty = await t.http().post(TASK).set(t.auth());
    expect(empty.status).toBe(200);
    expect(Date.now() - Date.parse(empty.body.asOf)).toBeLessThan(60_000);
    const bad = await t.http().post(TASK).set(t.auth()).send({ asOf: 'tomorrow', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_error');
    expect(bad.body.details.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'asOf',
      'extra',
    ]);
    expect((await t.http().post(TASK)).status).toBe(401);
  });

  it('two runs started together never close a period twice', async () => {
    const ids = await Promise.all([activeSchedule(), activeSchedule(), activeSchedule()]);
    const [a, b] = await Promise.all([
      t.http().post(TASK).set(t.auth()).send({ asOf: '2024-04-01T00:00:00Z' }),
      t.http().post(TASK).set(t.auth()).send({ asOf: '2024-04-01T00:00:00Z' }),
    ]);
    expect(a.body.periodsClosed + b.body.periodsClosed).toBe(9);
    expect(a.body.schedulesCompleted + b.body.schedulesCompleted).toBe(3);
    for (const id of ids) {
      const stream = await events(id);
      const closed = stream
        .filter((e) => e.type === 'BillingPeriodUpdated')
        .map((e) => (e.data.closedPeriod as { index: number }).index);
      expect(closed).toEqual([0, 1, 2]);
      expect(stream.map((e) => e.version)).toEqual(stream.map((_, i) => i + 1));
    }
  });

  it('the periodic runner holds a lease: of two ticks started together one runs', async () => {
    const runner = t.app.get(PeriodicBillingPeriodRunner);
    const other = Object.create(
      Object.getPrototypeOf(runner),
      Object.getOwnPropertyDescriptors(runner),
    );
    Object.assign(other, { owner: 'another-instance', running: null });
    const ran = await Promise.all([runner.tick(), other.tick()]);
    expect(ran.filter(Boolean)).toHaveLength(1);
  });
});
