import { MongoClient } from 'mongodb';
import { intervalBody, scheduleBody } from '../support/test-app';
import { dropDatabase, MONGODB_URI, uniqueName } from './support/infra';
import { collectTopic, spawnTs, startProductionApp, waitFor } from './support/production';

type App = Awaited<ReturnType<typeof startProductionApp>>;

describe('production mode: MongoDB event store and read models, Kafka via the outbox relay', () => {
  const db = uniqueName('prod');
  const topic = uniqueName('schedule-events');
  let a: App;
  let b: App;
  let mongo: MongoClient;
  let collector: Awaited<ReturnType<typeof collectTopic>>;

  beforeAll(async () => {
    mongo = await MongoClient.connect(MONGODB_URI);
    a = await startProductionApp(db, topic);
    b = await startProductionApp(db, topic);
    collector = await collectTopic(topic);
  });
  afterAll(async () => {
    await collector?.stop();
    await a?.close();
    await b?.close();
    await mongo?.close();
    await dropDatabase(db);
  });

  it('a command appends one commit document, its message reaches the topic with key, headers and envelope, and the API serves it', async () => {
    const created = await a
      .http()
      .post('/v0/billingSchedules')
      .set(a.auth())
      .set('X-Request-Id', 'prod-req-1')
      .send(scheduleBody());
    expect(created.status).toBe(201);
    const streamId = `billing_schedule-${created.body.id}`;

    const commits = await mongo.db(db).collection('event_commits').find({ streamId }).toArray();
    expect(commits).toHaveLength(1);
    expect(commits[0].events).toHaveLength(1);

    await waitFor('the message on the topic', () =>
      collector.messages.some((m) => m.key === streamId),
    );
    const message = collector.messages.find((m) => m.key === streamId)!;
    const stored = (
      await a.http().get(`/v0/billingSchedules/${created.body.id}/events`).set(a.auth())
    ).body.data[0];
    expect(message.envelope).toEqual(stored);
    expect(message.envelope).toMatchObject({
      type: 'BillingScheduleCreated',
      streamId,
      streamType: 'billing_schedule',
      version: 1,
      schemaVersion: 1,
      metadata: { correlationId: 'prod-req-1' },
    });
    expect(message.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: stored.id,
      ce_type: 'BillingScheduleCreated',
      ce_source: 'urn:billing-schedules-service/billing_schedule',
      ce_subject: streamId,
      ce_time: stored.occurredAt,
      'content-type': 'application/json',
    });

    // Read-your-writes on both instances: the one that took the command and the other one.
    expect(
      (await a.http().get(`/v0/billingSchedules/${created.body.id}`).set(a.auth())).body,
    ).toEqual(created.body);
    expect(
      (await b.http().get(`/v0/billingSchedules/${created.body.id}`).set(b.auth())).body,
    ).toEqual(created.body);
  });

  it('two writers on two instances with the same If-Match: exactly one wins, the other gets 409 version_conflict', async () => {
    const created = await a.http().post('/v0/billingSchedules').set(a.auth()).send(scheduleBody());
    const [first, second] = await Promise.all([
      a
        .http()
        .patch(`/v0/billingSchedules/${created.body.id}`)
        .set(a.auth())
        .set('If-Match', '"1"')
        .send({ metadata: { by: 'a' } }),
      b
        .http()
        .patch(`/v0/billingSchedules/${created.body.id}`)
        .set(b.auth())
        .set('If-Match', '"1"')
        .send({ metadata: { by: 'b' } }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect([first, second].find((r) => r.status === 409)!.body.code).toBe('version_conflict');
    const events = (
      await a.http().get(`/v0/billingSchedules/${created.body.id}/events`).set(a.auth())
    ).body.data;
    expect(events.map((e: { version: number }) => e.version)).toEqual([1, 2]);
  });

  it('50 concurrent PUTs without If-Match across two instances all succeed, with versions 1..51 and no gap', async () => {
    const created = await a.http().post('/v0/billingSchedules').set(a.auth()).send(scheduleBody());
    const id = created.body.id;
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const app = i % 2 === 0 ? a : b;
        return app
          .http()
          .put(`/v0/billingSchedules/${id}/intervals`)
          .set(app.auth())
          .send({ intervals: [intervalBody({ baseQuantity: String(i + 1) })] });
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const events = (await a.http().get(`/v0/billingSchedules/${id}/events?limit=100`).set(a.auth()))
      .body.data;
    expect(events.map((e: { version: number }) => e.version)).toEqual(
      Array.from({ length: 51 }, (_, i) => i + 1),
    );
    const final = (await b.http().get(`/v0/billingSchedules/${id}`).set(b.auth())).body;
    expect(final.version).toBe(51);

    // Every one of these events reaches the topic, once per id after dedupe, in stream order.
    const ids = events.map((e: { id: string }) => e.id);
    await waitFor('all 51 events on the topic', () =>
      ids.every((eid: string) => collector.messages.some((m) => m.envelope.id === eid)),
    );
    const firstSeen = new Map<string, number>();
    for (const m of collector.messages.filter((m) => m.key === `billing_schedule-${id}`)) {
      if (!firstSeen.has(m.envelope.id)) firstSeen.set(m.envelope.id, m.envelope.version);
    }
    expect([...firstSeen.values()]).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
  });

  it('/health/ready reports the store being down', async () => {
    const c = await startProductionApp(db, topic);
    try {
      expect((await c.http().get('/health/ready')).status).toBe(200);
      const { MONGO_CLIENT } = await import('../../apps/api/src/infrastructure/persistence.module');
      await c.app.get<MongoClient>(MONGO_CLIENT).close(true);
      const down = await c.http().get('/health/ready');
      expect(down.status).toBe(503);
      expect(down.body.details.store.status).toBe('down');
    } finally {
      await c.close().catch(() => undefined);
    }
  });

  it('refuses to start in production mode without API_KEYS', async () => {
    const child = spawnTs('apps/api/src/main.ts', {
      MONGODB_URI,
      MONGODB_DB: db,
      API_KEYS: '',
      PORT: '0',
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('API_KEYS');
  });
});
