import { EVENT_STORE, type EventStore } from '@app/event-store';
import { toEnvelope, type EventEnvelope } from '@app/messaging';
import { intervalBody, scheduleBody, TENANT_A, TENANT_B } from '../support/test-app';
import { dropDatabase, uniqueName } from './support/infra';
import { startProductionApp } from './support/production';

type App = Awaited<ReturnType<typeof startProductionApp>>;

/** GET /v0/events on MongoDB (FerretDB): two API instances sharing one database. */
describe('the event feed in production mode (MongoDB store, two instances)', () => {
  const db = uniqueName('feed');
  const topic = uniqueName('schedule-events-feed');
  let a: App;
  let b: App;

  beforeAll(async () => {
    a = await startProductionApp(db, topic);
    b = await startProductionApp(db, topic);
    // Both tenants write through both instances, interleaved.
    for (const [app, key, label] of [
      [a, TENANT_A.key, 'a1'],
      [b, TENANT_B.key, 'b1'],
      [b, TENANT_A.key, 'a2'],
      [a, TENANT_B.key, 'b2'],
    ] as const) {
      await activity(app, key, label);
    }
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dropDatabase(db);
  });

  async function storeEvents(tenant: string): Promise<EventEnvelope[]> {
    const events = await a.app.get<EventStore>(EVENT_STORE).readAll();
    return events.filter((event) => event.tenantId === tenant).map(toEnvelope);
  }

  function feed(app: App, query: Record<string, string>, key = TENANT_A.key) {
    return app.http().get('/v0/events').query(query).set(app.auth(key));
  }

  it('pages to the end with limit=7, equal to the store’s events of the tenant; both instances give identical pages', async () => {
    for (const { key, tenant } of [TENANT_A, TENANT_B]) {
      const expected = await storeEvents(tenant);
      expect(expected.length).toBeGreaterThan(7);
      const events: EventEnvelope[] = [];
      let after: string | undefined;
      for (let pages = 0; ; pages += 1) {
        expect(pages).toBeLessThan(50);
        const query: Record<string, string> =
          after === undefined ? { limit: '7' } : { limit: '7', after };
        const [fromA, fromB] = [await feed(a, query, key), await feed(b, query, key)];
        expect(fromA.status).toBe(200);
        expect(fromB.body).toEqual(fromA.body);
        events.push(...fromA.body.data);
        after = fromA.body.nextCursor;
        if (!fromA.body.hasMore) break;
      }
      expect(events).toEqual(expected);

      // Resumed on the other instance after new appends: exactly those.
      const before = expected.length;
      await activity(a, key, `${tenant}-later`);
      const appended = (await storeEvents(tenant)).slice(before);
      const resumed = await feed(b, { after: after!, limit: '1000' }, key);
      expect(resumed.body.data).toEqual(appended);
      expect(resumed.body.hasMore).toBe(false);
    }
  });

  it('filters in the query: types, stream id, and never another tenant’s stream', async () => {
    const all = await storeEvents(TENANT_A.tenant);
    const types = ['BillingScheduleCreated', 'BillingScheduleDeleted'];
    const byType = await b.http().get('/v0/events').query({ type: types }).set(b.auth());
    expect(byType.body.data).toEqual(all.filter((e) => types.includes(e.type)));
    const streamId = all[0].streamId;
    const byStream = await feed(b, { streamId });
    expect(byStream.body.data).toEqual(all.filter((e) => e.streamId === streamId));
    const foreign = (await storeEvents(TENANT_B.tenant))[0].streamId;
    expect((await feed(a, { streamId: foreign })).body.data).toEqual([]);
  });

  it('keeps a deleted schedule’s events readable and lists it with includeDeleted', async () => {
    const created = await a
      .http()
      .post('/v0/billingSchedules')
      .set(a.auth())
      .send(scheduleBody({ orderId: 'ord_int_deleted' }));
    expect(created.status).toBe(201);
    await a.http().delete(`/v0/billingSchedules/${created.body.id}`).set(a.auth()).expect(204);
    const events = await b
      .http()
      .get(`/v0/billingSchedules/${created.body.id}/events`)
      .set(b.auth());
    expect(events.status).toBe(200);
    expect(events.body.data.map((e: EventEnvelope) => e.type)).toEqual([
      'BillingScheduleCreated',
      'BillingScheduleDeleted',
    ]);
    const list = await b
      .http()
      .get('/v0/billingSchedules')
      .query({ orderId: 'ord_int_deleted', includeDeleted: 'true' })
      .set(b.auth());
    expect(
      list.body.data.map((s: { id: string; deletedAt: string | null }) => [
        s.id,
        typeof s.deletedAt,
      ]),
    ).toEqual([[created.body.id, 'string']]);
  });
});

async function activity(app: App, key: string, label: string) {
  const created = await app
    .http()
    .post('/v0/billingSchedules')
    .set(app.auth(key))
    .send(scheduleBody({ orderId: `ord_${label}` }));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await app
    .http()
    .put(`/v0/billingSchedules/${id}/intervals`)
    .set(app.auth(key))
    .send({ intervals: [intervalBody()] })
    .expect(200);
  await app
    .http()
    .patch(`/v0/billingSchedules/${id}`)
    .set(app.auth(key))
    .send({ metadata: { label } })
    .expect(200);
  await app.http().post(`/v0/billingSchedules/${id}/invoices`).set(app.auth(key)).expect(201);
  await app.http().delete(`/v0/billingSchedules/${id}`).set(app.auth(key)).expect(204);
}
