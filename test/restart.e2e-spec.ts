import { intervalBody, scheduleBody, startTestApp, type TestApp } from './support/test-app';

describe('embedded store survives a restart', () => {
  let first: TestApp;
  let second: TestApp | undefined;
  afterAll(async () => {
    await second?.destroy();
    await first.destroy();
  });

  it('reads back every schedule, interval, invoice, event and idempotent response after a restart', async () => {
    first = await startTestApp();
    const created = await first
      .http()
      .post('/v0/billingSchedules')
      .set(first.auth())
      .set('Idempotency-Key', 'restart-create')
      .send(scheduleBody({ orderId: 'ord_restart', metadata: { a: '1' } }));
    expect(created.status).toBe(201);
    const id = created.body.id;
    await first
      .http()
      .put(`/v0/billingSchedules/${id}/intervals`)
      .set(first.auth())
      .send({ intervals: [intervalBody()] });
    await first.http().post(`/v0/billingSchedules/${id}/invoices`).set(first.auth());
    await first
      .http()
      .patch(`/v0/billingSchedules/${id}`)
      .set(first.auth())
      .send({ status: 'active' });
    const deleted = await first
      .http()
      .post('/v0/billingSchedules')
      .set(first.auth())
      .send(scheduleBody());
    await first.http().delete(`/v0/billingSchedules/${deleted.body.id}`).set(first.auth());

    const read = async (t: TestApp) => ({
      schedule: (await t.http().get(`/v0/billingSchedules/${id}`).set(t.auth())).body,
      list: (await t.http().get('/v0/billingSchedules').set(t.auth())).body,
      intervals: (await t.http().get(`/v0/billingSchedules/${id}/intervals`).set(t.auth())).body,
      periods: (await t.http().get(`/v0/billingSchedules/${id}/periods`).set(t.auth())).body,
      invoices: (await t.http().get(`/v0/billingSchedules/${id}/invoices`).set(t.auth())).body,
      events: (await t.http().get(`/v0/billingSchedules/${id}/events`).set(t.auth())).body,
      deleted: (await t.http().get(`/v0/billingSchedules/${deleted.body.id}`).set(t.auth())).status,
    });
    const before = await read(first);
    expect(before.schedule.status).toBe('active');
    expect(before.events.data).toHaveLength(4);
    expect(before.invoices.data).toHaveLength(12);
    await first.close();

    second = await startTestApp({ dataDir: first.dataDir });
    const after = await read(second);
    expect(after).toEqual(before);
    expect(after.deleted).toBe(404);

    const replay = await second
      .http()
      .post('/v0/billingSchedules')
      .set(second.auth())
      .set('Idempotency-Key', 'restart-create')
      .send(scheduleBody({ orderId: 'ord_restart', metadata: { a: '1' } }));
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(created.body);

    const next = await second
      .http()
      .patch(`/v0/billingSchedules/${id}`)
      .set(second.auth())
      .send({ metadata: { a: '2' } });
    expect(next.body.version).toBe(5);
  });

  it('refuses a second process on the same DATA_DIR while the first runs', async () => {
    const owner = await startTestApp();
    try {
      await expect(startTestApp({ dataDir: owner.dataDir })).rejects.toThrow(
        /in use by another process/,
      );
    } finally {
      await owner.destroy();
    }
  });
});
