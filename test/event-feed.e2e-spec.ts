import { EVENT_STORE, type EventStore } from '@app/event-store';
import { toEnvelope, type EventEnvelope } from '@app/messaging';
import {
  intervalBody,
  scheduleBody,
  startTestApp,
  TENANT_A,
  TENANT_B,
  type TestApp,
  associateEdit,
} from './support/test-app';

/** GET /v0/events (SPEC §8, issue 8 items 1 and 3), over HTTP on the embedded store. */
jest.setTimeout(30_000);

describe('the event feed and history after deletion (HTTP, embedded store)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await activity(t, TENANT_A.key, 'a');
    await activity(t, TENANT_B.key, 'b');
    await activity(t, TENANT_A.key, 'a2');
  }, 60_000);
  afterAll(() => t.destroy());

  /** The tenant's events as the store holds them, in commit order, in the published envelope. */
  async function storeEvents(app: TestApp, tenant: string): Promise<EventEnvelope[]> {
    const events = await app.app.get<EventStore>(EVENT_STORE).readAll();
    return events.filter((event) => event.tenantId === tenant).map(toEnvelope);
  }

  it('pages to the end with limit=7 and equals the store’s events of the tenant, event for event', async () => {
    for (const { key, tenant } of [TENANT_A, TENANT_B]) {
      const { events, pages, cursor } = await pageAll(t, { limit: '7' }, key);
      const expected = await storeEvents(t, tenant);
      expect(expected.length).toBeGreaterThan(7);
      expect(events).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 7));
      expect(events.every((event) => event.tenantId === tenant)).toBe(true);
      expect(typeof cursor).toBe('string');
    }
  });

  it('answers the list shape with limit 100 by default, at most 1000', async () => {
    const res = await feed(t, {});
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['data', 'hasMore', 'nextCursor', 'object']);
    expect(res.body).toMatchObject({ object: 'list', hasMore: false });
    expect(res.body.data).toEqual(await storeEvents(t, TENANT_A.tenant));
    expect((await feed(t, { limit: '1000' })).status).toBe(200);
  });

  it('filters by repeated type, stream type, stream id and occurredAt (both ends inclusive)', async () => {
    const all = await storeEvents(t, TENANT_A.tenant);
    const ids = (events: EventEnvelope[]) => events.map((event) => event.id);
    const only = async (query: Record<string, string | string[]>) =>
      ids((await pageAll(t, { limit: '3', ...query })).events);

    const types = ['BillingScheduleCreated', 'ScheduleIntervalsReplaced'];
    expect(await only({ type: types })).toEqual(ids(all.filter((e) => types.includes(e.type))));
    expect(await only({ type: 'BillingScheduleDeleted' })).toEqual(
      ids(all.filter((e) => e.type === 'BillingScheduleDeleted')),
    );
    for (const streamType of ['billing_schedule', 'account_schedules']) {
      const expected = ids(all.filter((e) => e.streamType === streamType));
      expect(expected.length).toBeGreaterThan(0);
      expect(await only({ streamType })).toEqual(expected);
    }
    const streamId = all[0].streamId;
    expect(await only({ streamId })).toEqual(ids(all.filter((e) => e.streamId === streamId)));
    expect(await only({ streamId, type: 'BillingScheduleUpdated' })).toEqual(
      ids(all.filter((e) => e.streamId === streamId && e.type === 'BillingScheduleUpdated')),
    );

    const from = all[3].occurredAt;
    const to = all[all.length - 4].occurredAt;
    const within = (e: EventEnvelope) =>
      Date.parse(e.occurredAt) >= Date.parse(from) && Date.parse(e.occurredAt) <= Date.parse(to);
    expect(await only({ from, to })).toEqual(ids(all.filter(within)));
    expect(await only({ from: to, to })).toEqual(
      ids(all.filter((e) => Date.parse(e.occurredAt) === Date.parse(to))),
    );
    expect(await only({ to: '2000-01-01T00:00:00Z' })).toEqual([]);
    // Another tenant's stream id answers nothing, not that tenant's events.
    const foreign = (await storeEvents(t, TENANT_B.tenant))[0].streamId;
    expect(await only({ streamId: foreign })).toEqual([]);
  });

  it('resumes from the last cursor with exactly the events appended since', async () => {
    const end = await pageAll(t, { limit: '7' });
    const again = await feed(t, { after: end.cursor });
    expect(again.body).toEqual({
      object: 'list',
      data: [],
      nextCursor: end.cursor,
      hasMore: false,
    });

    const before = (await storeEvents(t, TENANT_A.tenant)).length;
    await activity(t, TENANT_B.key, 'b-later');
    await activity(t, TENANT_A.key, 'a-later');
    const appended = (await storeEvents(t, TENANT_A.tenant)).slice(before);
    expect(appended.length).toBeGreaterThan(0);

    const resumed = await pageAll(t, { limit: '7' }, TENANT_A.key, end.cursor);
    expect(resumed.events).toEqual(appended);
  });

  it('answers 400 with field details for a bad cursor or filter', async () => {
    const valid = (await feed(t, { limit: '1' })).body.nextCursor as string;
    const cases: [Record<string, string | string[]>, string][] = [
      [{ after: 'not-a-cursor' }, 'after'],
      [{ after: '' }, 'after'],
      [{ after: `${valid}x` }, 'after'],
      [{ after: Buffer.from('feed:-1').toString('base64url') }, 'after'],
      [{ after: Buffer.from('feed:01').toString('base64url') }, 'after'],
      [{ after: Buffer.from('feed:999999999').toString('base64url') }, 'after'],
      [{ after: [valid, valid] }, 'after'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '1001' }, 'limit'],
      [{ limit: '1.5' }, 'limit'],
      [{ type: 'NoSuchEvent' }, 'type'],
      [{ type: ['BillingScheduleCreated', 'Nope'] }, 'type'],
      [{ streamType: 'orders' }, 'streamType'],
      [{ streamId: '' }, 'streamId'],
      [{ from: '2024-01-01' }, 'from'],
      [{ to: 'yesterday' }, 'to'],
      [{ from: 'soon', to: '2024-01-01T00:00:00Z' }, 'from'],
      [{ from: '2024-01-01T00:00:00Z', to: 'later' }, 'to'],
      [{ from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 'to'],
    ];
    for (const [query, field] of cases) {
      const res = await feed(t, query);
      expect({ query, status: res.status, code: res.body.code }).toEqual({
        query,
        status: 400,
        code: 'validation_error',
      });
      expect(res.body.details.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await t.http().get('/v0/events')).status).toBe(401);
    // The same instant in two offsets is not a reversed window.
    const same = await feed(t, { from: '2024-01-01T01:00:00+01:00', to: '2024-01-01T00:00:00Z' });
    expect(same.status).toBe(200);
  });

  describe('history outlives deletion', () => {
    it('keeps a deleted schedule’s events readable, its own tenant only, and in the feed', async () => {
      const created = await create(t, TENANT_A.key, 'ord_kept');
      await patch(t, TENANT_A.key, created.id, { metadata: { note: 'before delete' } });
      const live = await t.http().get(`/v0/billingSchedules/${created.id}/events`).set(t.auth());
      expect(
        (await t.http().delete(`/v0/billingSchedules/${created.id}`).set(t.auth())).status,
      ).toBe(204);

      const events = await t.http().get(`/v0/billingSchedules/${created.id}/events`).set(t.auth());
      expect(events.status).toBe(200);
      expect(events.body.data.slice(0, live.body.data.length)).toEqual(live.body.data);
      expect(events.body.data.map((e: EventEnvelope) => e.type)).toEqual([
        'BillingScheduleCreated',
        'BillingScheduleUpdated',
        'BillingScheduleDeleted',
      ]);
      const foreign = await t
        .http()
        .get(`/v0/billingSchedules/${created.id}/events`)
        .set(t.auth(TENANT_B.key));
      expect(foreign.status).toBe(404);
      expect((await pageAll(t, { streamId: events.body.data[0].streamId })).events).toEqual(
        events.body.data,
      );
    });

    it('lists deleted schedules with includeDeleted=true, with their deletedAt; not by default', async () => {
      const kept = await create(t, TENANT_A.key, 'ord_include_deleted');
      const gone = await create(t, TENANT_A.key, 'ord_include_deleted');
      await t.http().delete(`/v0/billingSchedules/${gone.id}`).set(t.auth()).expect(204);
      const list = (query: Record<string, string>) =>
        t
          .http()
          .get('/v0/billingSchedules')
          .query({ orderId: 'ord_include_deleted', ...query })
          .set(t.auth());

      const withDeleted = await list({ includeDeleted: 'true' });
      expect(withDeleted.status).toBe(200);
      expect(withDeleted.body.data.map((s: { id: string }) => s.id)).toEqual([gone.id, kept.id]);
      expect(withDeleted.body.pagination.total).toBe(2);
      expect(withDeleted.body.data[0].deletedAt).toEqual(expect.any(String));
      expect(withDeleted.body.data[1].deletedAt).toBeNull();
      for (const query of [{}, { includeDeleted: 'false' }] as Record<string, string>[]) {
        expect((await list(query)).body.data.map((s: { id: string }) => s.id)).toEqual([kept.id]);
      }
      const foreign = await t
        .http()
        .get('/v0/billingSchedules')
        .query({ orderId: 'ord_include_deleted', includeDeleted: 'true' })
        .set(t.auth(TENANT_B.key));
      expect(foreign.body.data).toEqual([]);
      const bad = await list({ includeDeleted: 'yes' });
      expect(bad.status).toBe(400);
      expect(bad.body.details.errors[0].field).toBe('includeDeleted');
    });
  });

  it('continues a cursor taken before a restart on the same DATA_DIR', async () => {
    let app = await startTestApp();
    try {
      await activity(app, TENANT_A.key, 'r1');
      const first = await feed(app, { limit: '5' });
      expect(first.body.hasMore).toBe(true);
      const expected = await storeEvents(app, TENANT_A.tenant);

      await app.close();
      app = await startTestApp({ dataDir: app.dataDir });

      const rest = await pageAll(app, { limit: '5' }, TENANT_A.key, first.body.nextCursor);
      expect([...first.body.data, ...rest.events]).toEqual(expected);
      await activity(app, TENANT_A.key, 'r2');
      const added = (await storeEvents(app, TENANT_A.tenant)).slice(expected.length);
      expect((await pageAll(app, { limit: '5' }, TENANT_A.key, rest.cursor)).events).toEqual(added);
    } finally {
      await app.destroy();
    }
  });
});

type FeedQuery = Record<string, string | string[]>;

function feed(app: TestApp, query: FeedQuery, key = TENANT_A.key) {
  return app.http().get('/v0/events').query(query).set(app.auth(key));
}

/** Follows nextCursor while hasMore; returns every event, the page count and the last cursor. */
async function pageAll(app: TestApp, query: FeedQuery, key = TENANT_A.key, after?: string) {
  const events: EventEnvelope[] = [];
  let cursor = after;
  for (let pages = 1; pages <= 1000; pages += 1) {
    const res = await feed(app, cursor === undefined ? query : { ...query, after: cursor }, key);
    expect(res.status).toBe(200);
    events.push(...res.body.data);
    cursor = res.body.nextCursor;
    if (!res.body.hasMore) return { events, pages, cursor: cursor as string };
  }
  throw new Error('the feed did not end');
}

async function create(app: TestApp, key: string, orderId: string) {
  const res = await app
    .http()
    .post('/v0/billingSchedules')
    .set(app.auth(key))
    .send(scheduleBody({ orderId }));
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

async function patch(app: TestApp, key: string, id: string, body: object) {
  const res = await app.http().patch(`/v0/billingSchedules/${id}`).set(app.auth(key)).send(body);
  expect(res.status).toBe(200);
}

/** Several commands on two schedules and one account: events of both stream types. */
async function activity(app: TestApp, key: string, label: string) {
  const s = await create(app, key, `ord_${label}`);
  await app
    .http()
    .put(`/v0/billingSchedules/${s.id}/intervals`)
    .set(app.auth(key))
    .send({ intervals: [intervalBody()] })
    .expect(200);
  await patch(app, key, s.id, { metadata: { label } });
  await app.http().post(`/v0/billingSchedules/${s.id}/invoices`).set(app.auth(key)).expect(201);
  await patch(app, key, s.id, { status: 'active' });
  const other = await create(app, key, `ord_${label}_other`);
  await app.http().delete(`/v0/billingSchedules/${other.id}`).set(app.auth(key)).expect(204);
  await app
    .http()
    .post(`/v2/accounts/ACC_${label}/edit_schedules`)
    .set(app.auth(key))
    .send({
      edits: [
        associateEdit({ interval: 'MONTHLY', startOffset: { dayOffset: 'LAST' }, gracePeriod: 3 }),
      ],
    })
    .expect((res) => expect(res.status).toBeLessThan(300));
}
