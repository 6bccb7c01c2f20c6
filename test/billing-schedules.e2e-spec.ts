import {
  intervalBody,
  scheduleBody,
  startTestApp,
  TENANT_A,
  type TestApp,
} from './support/test-app';

describe('/v0/billingSchedules happy paths (HTTP, embedded store)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  async function createSchedule(overrides: Record<string, unknown> = {}) {
    const res = await t
      .http()
      .post('/v0/billingSchedules')
      .set(t.auth())
      .send(scheduleBody(overrides));
    expect(res.status).toBe(201);
    return res.body;
  }

  it('creates a draft schedule with the defaults of SPEC §3 and an ETag', async () => {
    const res = await t
      .http()
      .post('/v0/billingSchedules')
      .set(t.auth())
      .set('X-Request-Id', 'req-create-1')
      .send(scheduleBody({ startDate: '2024-01-01T01:00:00+01:00' }));
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('req-create-1');
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      object: 'billing_schedule',
      merchantId: TENANT_A.tenant,
      status: 'draft',
      startDate: '2024-01-01T00:00:00Z',
      endDate: '2025-01-01T00:00:00Z',
      billingAnchor: '2024-01-01T00:00:00Z',
      alignmentPolicy: 'anchor',
      prorationPolicy: 'none',
      periodPreset: 'P1M',
      customPeriodWindows: [],
      paymentTermDays: null,
      metadata: {},
      timezone: 'UTC',
      orderId: 'ord_1',
      subscriptionId: null,
      deletedAt: null,
      currentPeriodStart: null,
      currentPeriodEnd: null,
      version: 1,
    });
    expect(res.body.id).toMatch(/^bs_[0-9A-Za-z]{20,}$/);
    expect(res.body.createdAt).toMatch(/Z$/);
  });

  it('gets a schedule with its ETag, and lists with filters and pagination', async () => {
    const a = await createSchedule({ orderId: 'ord_list_1' });
    const b = await createSchedule({ orderId: undefined, subscriptionId: 'sub_list_1' });
    const got = await t.http().get(`/v0/billingSchedules/${a.id}`).set(t.auth());
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.body).toEqual(a);

    const byOrder = await t.http().get('/v0/billingSchedules?orderId=ord_list_1').set(t.auth());
    expect(byOrder.body.data.map((s: { id: string }) => s.id)).toEqual([a.id]);
    const bySub = await t
      .http()
      .get('/v0/billingSchedules?subscriptionId=sub_list_1')
      .set(t.auth());
    expect(bySub.body.data.map((s: { id: string }) => s.id)).toEqual([b.id]);

    const all = await t.http().get('/v0/billingSchedules').set(t.auth());
    expect(all.body.object).toBe('list');
    expect(all.body.pagination).toEqual({ limit: 50, offset: 0, total: all.body.data.length });
    const page = await t.http().get('/v0/billingSchedules?limit=1&offset=1').set(t.auth());
    expect(page.body.data).toHaveLength(1);
    expect(page.body.pagination).toEqual({ limit: 1, offset: 1, total: all.body.pagination.total });
    expect(page.body.data[0].id).toBe(all.body.data[1].id);
  });

  it('patches, activates with the first period as current, and filters by status', async () => {
    const s = await createSchedule({ orderId: 'ord_patch' });
    const patched = await t
      .http()
      .patch(`/v0/billingSchedules/${s.id}`)
      .set(t.auth())
      .send({ paymentTermDays: 30, metadata: { team: 'finance' }, alignmentPolicy: 'calendar' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      paymentTermDays: 30,
      metadata: { team: 'finance' },
      version: 2,
    });
    expect(patched.headers.etag).toBe('"2"');

    await t
      .http()
      .put(`/v0/billingSchedules/${s.id}/intervals`)
      .set(t.auth())
      .send({ intervals: [intervalBody()] });
    const active = await t
      .http()
      .patch(`/v0/billingSchedules/${s.id}`)
      .set(t.auth())
      .send({ status: 'active' });
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({
      status: 'active',
      currentPeriodStart: '2024-01-01T00:00:00Z',
      currentPeriodEnd: '2024-02-01T00:00:00Z',
    });
    const listed = await t.http().get('/v0/billingSchedules?status=active').set(t.auth());
    expect(listed.body.data.map((x: { id: string }) => x.id)).toContain(s.id);
    expect(listed.body.data.every((x: { status: string }) => x.status === 'active')).toBe(true);

    const cancelled = await t
      .http()
      .patch(`/v0/billingSchedules/${s.id}`)
      .set(t.auth())
      .send({ status: 'cancelled' });
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('soft-deletes: 204, then 404 and gone from lists', async () => {
    const s = await createSchedule({ orderId: 'ord_delete' });
    const del = await t.http().delete(`/v0/billingSchedules/${s.id}`).set(t.auth());
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await t.http().get(`/v0/billingSchedules/${s.id}`).set(t.auth())).status).toBe(404);
    const listed = await t.http().get('/v0/billingSchedules?orderId=ord_delete').set(t.auth());
    expect(listed.body.data).toEqual([]);
    const before = await t
      .http()
      .get(`/v0/billingSchedules/${s.id}`)
      .query({ asOf: s.createdAt })
      .set(t.auth());
    expect(before.status).toBe(200);
    expect(before.body.deletedAt).toBeNull();
  });

  it('replaces intervals wholesale and per order line, with new ids every PUT', async () => {
    const s = await createSchedule();
    const first = await t
      .http()
      .put(`/v0/billingSchedules/${s.id}/intervals`)
      .set(t.auth())
      .send({
        intervals: [
          intervalBody({ orderLineItemId: 'line_a', description: 'Seats' }),
          intervalBody({
            orderLineItemId: 'line_b',
            unitPrice: '5',
            quantityTransitions: [{ effectiveDate: '2024-06-01T00:00:00Z', quantity: '4' }],
          }),
        ],
      });
    expect(first.status).toBe(200);
    expect(first.body.object).toBe('list');
    expect(first.body.data).toHaveLength(2);
    expect(first.body.data[0]).toMatchObject({
      object: 'schedule_interval',
      scheduleId: s.id,
      baseQuantity: '2',
      billingCadence: 'P1M',
      billingMode: 'advance',
      orderLineItemId: 'line_a',
      description: 'Seats',
      unitPrice: '10.00',
      quantityTransitions: [],
      billDate: null,
      usageFilter: null,
      metadata: {},
    });
    expect(first.body.data[0].id).toMatch(/^si_/);
    const lineB = first.body.data[1];

    const scoped = await t
      .http()
      .put(`/v0/billingSchedules/${s.id}/intervals`)
      .set(t.auth())
      .send({ orderLineItemId: 'line_a', intervals: [intervalBody({ baseQuantity: '7' })] });
    expect(scoped.status).toBe(200);
    const byLine = Object.fromEntries(
      scoped.body.data.map((i: { orderLineItemId: string }) => [i.orderLineItemId, i]),
    );
    expect(byLine.line_b).toEqual(lineB);
    expect(byLine.line_a.baseQuantity).toBe('7');
    expect(byLine.line_a.id).not.toBe(first.body.data[0].id);

    const got = await t.http().get(`/v0/billingSchedules/${s.id}/intervals`).set(t.auth());
    expect(got.body.data).toEqual(scoped.body.data);
    expect(got.body.pagination.total).toBe(2);

    const wholesale = await t
      .http()
      .put(`/v0/billingSchedules/${s.id}/intervals`)
      .set(t.auth())
      .send({ intervals: [intervalBody()] });
    expect(wholesale.body.data).toHaveLength(1);
    expect(wholesale.body.data[0].orderLineItemId).toBeNull();
  });

  it('serves periods with amounts (anchor Jan 31 sticky, daily proration of the leading stub)', async () => {
    const s = await createSchedule({
      startDate: '2024-01-15T00:00:00Z',
      endDate: '2024-05-31T00:00:00Z',
      billingAnchor: '2023-12-31T00:00:00Z',
      prorationPolicy: 'daily',
      paymentTermDays: 10,
    });
    await t
      .http()
      .put(`/v0/billingSchedules/${s.id}/intervals`)
      .set(t.auth())
      .send({
        intervals: [
          intervalBody({
            startDate: '2024-01-15T00:00:00Z',
            endDate: '2024-05-31T00:00:00Z',
            baseQuantity: '3',
            unitPrice: '31.00',
          }),
        ],
      });
    const res = await t.http().get(`/v0/billingSchedules/${s.id}/periods`).set(t.auth());
    expect(res.status).toBe(200);
    const periods = res.body.data.map((p: Record<string, unknown>) => [
      p.startDate,
      p.endDate,
      p.isStub,
      p.amount,
    ]);
    // Leading stub Jan 15 → Jan 31 in the cell Dec 31 → Jan 31 (31 days): 3 × 31 × 16/31 = 48.00
    expect(periods).toEqual([
      ['2024-01-15T00:00:00Z', '2024-01-31T00:00:00Z', true, '48.00'],
      ['2024-01-31T00:00:00Z', '2024-02-29T00:00:00Z', false, '93.00'],
      ['2024-02-29T00:00:00Z', '2024-03-31T00:00:00Z', false, '93.00'],
      ['2024-03-31T00:00:00Z', '2024-04-30T00:00:00Z', false, '93.00'],
      ['2024-04-30T00:00:00Z', '2024-05-31T00:00:00Z', false, '93.00'],
    ]);
    expect(res.body.data[0]).toMatchObject({
      object: 'billing_period',
      index: 0,
      issueDate: '2024-01-15T00:00:00Z',
      dueDate: '2024-01-25T00:00:00Z',
    });
    expect(res.body.data[0].lines[0]).toMatchObject({
      quantity: '3',
      unitPrice: '31',
      subtotal: '48.00',
    });
    expect(res.body.pagination).toEqual({ limit: 50, offset: 0, total: 5 });
  });

  it('stages invoices per period, lists them newest first, and re-staging keeps ids', async () => {
    const s = await createSchedule({ endDate: '2024-04-01T00:00:00Z' });
    await t
      .http()
      .put(`/v0/billingSchedules/${s.id}/intervals`)
      .set(t.auth())
      .send({
        intervals: [intervalBody({ endDate: '2024-04-01T00:00:00Z' })],
      });
    const staged = await t.http().post(`/v0/billingSchedules/${s.id}/invoices`).set(t.auth());
    expect(staged.status).toBe(201);
    expect(staged.body.data).toHaveLength(3);
    expect(staged.body.data[0]).toMatchObject({
      object: 'schedule_invoice',
      billingScheduleId: s.id,
      orderId: 'ord_1',
      merchantId: TENANT_A.tenant,
      periodStart: '2024-01-01T00:00:00Z',
      periodEnd: '2024-02-01T00:00:00Z',
      issueDate: '2024-01-01T00:00:00Z',
      dueDate: '2024-01-01T00:00:00Z',
      amount: '20.00',
      status: 'staged',
    });
    expect(staged.body.data[0].id).toMatch(/^sinv_/);
    expect(staged.body.data[0].lineItems).toHaveLength(1);

    const listed = await t.http().get(`/v0/billingSchedules/${s.id}/invoices`).set(t.auth());
    expect(listed.body.data.map((i: { periodStart: string }) => i.periodStart)).toEqual([
      '2024-03-01T00:00:00Z',
      '2024-02-01T00:00:00Z',
      '2024-01-01T00:00:00Z',
    ]);
    const again = await t.http().post(`/v0/billingSchedules/${s.id}/invoices`).set(t.auth());
    expect(again.body.data.map((i: { id: string }) => i.id)).toEqual(
      staged.body.data.map((i: { id: string }) => i.id),
    );
    const relisted = await t.http().get(`/v0/billingSchedules/${s.id}/invoices`).set(t.auth());
    expect(relisted.body.pagination.total).toBe(3);
  });

  it('serves the stream as SPEC §6 envelopes with the request id as correlationId', async () => {
    const s = await createSchedule();
    await t
      .http()
      .put(`/v0/billingSchedules/${s.id}/intervals`)
      .set(t.auth())
      .set('X-Request-Id', 'req-intervals-7')
      .set('Idempotency-Key', 'idem-events-1')
      .send({ intervals: [intervalBody()] });
    const res = await t.http().get(`/v0/billingSchedules/${s.id}/events`).set(t.auth());
    expect(res.status).toBe(200);
    expect(
      res.body.data.map((e: { type: string; version: number }) => [e.type, e.version]),
    ).toEqual([
      ['BillingScheduleCreated', 1],
      ['ScheduleIntervalsReplaced', 2],
    ]);
    const event = res.body.data[1];
    expect(Object.keys(event).sort()).toEqual([
      'data',
      'id',
      'metadata',
      'occurredAt',
      'recordedAt',
      'schemaVersion',
      'streamId',
      'streamType',
      'tenantId',
      'type',
      'version',
    ]);
    expect(event).toMatchObject({
      schemaVersion: 1,
      streamId: `billing_schedule-${s.id}`,
      streamType: 'billing_schedule',
      tenantId: TENANT_A.tenant,
      metadata: { correlationId: 'req-intervals-7', idempotencyKey: 'idem-events-1' },
    });
    expect(event.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(event.data.intervals).toHaveLength(1);
  });

  it('answers ?asOf with the state as it was then', async () => {
    const s = await createSchedule({ metadata: { v: '1' } });
    await new Promise((r) => setTimeout(r, 15));
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 15));
    await t
      .http()
      .patch(`/v0/billingSchedules/${s.id}`)
      .set(t.auth())
      .send({ metadata: { v: '2' } });
    const then = await t
      .http()
      .get(`/v0/billingSchedules/${s.id}`)
      .query({ asOf: between })
      .set(t.auth());
    expect(then.status).toBe(200);
    expect(then.body.metadata).toEqual({ v: '1' });
    expect(then.headers.etag).toBe('"1"');
    const now = await t.http().get(`/v0/billingSchedules/${s.id}`).set(t.auth());
    expect(now.body.metadata).toEqual({ v: '2' });
    const beforeCreation = await t
      .http()
      .get(`/v0/billingSchedules/${s.id}`)
      .query({ asOf: '2000-01-01T00:00:00Z' })
      .set(t.auth());
    expect(beforeCreation.status).toBe(404);
  });

  it('serves ops endpoints without a key: live, ready, metrics, openapi, docs', async () => {
    expect((await t.http().get('/health/live')).status).toBe(200);
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info.store.status).toBe('up');
    const metrics = await t.http().get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('http_request_duration_seconds');
    expect((await t.http().get('/openapi.json')).body.openapi).toMatch(/^3\./);
    expect((await t.http().get('/docs/')).status).toBe(200);
  });
});
