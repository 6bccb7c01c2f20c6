import { MongoClient } from 'mongodb';
import { scheduleBody } from '../support/test-app';
import { dropDatabase, MONGODB_URI, uniqueName } from './support/infra';
import { collectTopic, startOwnBroker, startProductionApp, waitFor } from './support/production';

describe('broker outage', () => {
  const db = uniqueName('outage');
  const topic = uniqueName('schedule-events');
  let api: Awaited<ReturnType<typeof startProductionApp>>;
  let collector: Awaited<ReturnType<typeof collectTopic>>;
  let mongo: MongoClient;
  let broker: Awaited<ReturnType<typeof startOwnBroker>>;

  beforeAll(async () => {
    mongo = await MongoClient.connect(MONGODB_URI);
    broker = await startOwnBroker();
    api = await startProductionApp(db, topic, { KAFKA_BROKERS: broker.brokers.join(',') });
    collector = await collectTopic(topic, broker.brokers);
  });
  afterAll(async () => {
    await collector?.stop();
    await api?.close();
    await broker?.destroy();
    await mongo?.close();
    await dropDatabase(db);
  });

  it('acknowledges 200 commands while the broker is down; once it is back every event is on the topic once per id, in stream order', async () => {
    const started = Date.now();
    const phase = (name: string) =>
      process.stdout.write(`[outage] ${name} at ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const warmUp = await api
      .http()
      .post('/v0/billingSchedules')
      .set(api.auth())
      .send(scheduleBody());
    await waitFor('the relay to publish', () =>
      collector.messages.some((m) => m.envelope.streamId === `billing_schedule-${warmUp.body.id}`),
    );

    phase('warm-up published');
    broker.stop();
    phase('broker stopped');
    // Commands keep working without the broker, so the instance stays ready and says why.
    const ready = await api.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info.broker.status).toBe('down');
    expect(ready.body.info.store.status).toBe('up');

    // 40 schedules × (create + 4 updates) = 200 commands, 10 at a time.
    const statuses: number[] = [];
    const ids: string[] = [];
    for (let wave = 0; wave < 4; wave++) {
      const created = await Promise.all(
        Array.from({ length: 10 }, () =>
          api.http().post('/v0/billingSchedules').set(api.auth()).send(scheduleBody()),
        ),
      );
      statuses.push(...created.map((r) => r.status));
      const waveIds = created.map((r) => r.body.id as string);
      ids.push(...waveIds);
      for (let n = 0; n < 4; n++) {
        const patched = await Promise.all(
          waveIds.map((id) =>
            api
              .http()
              .patch(`/v0/billingSchedules/${id}`)
              .set(api.auth())
              .send({ metadata: { n: String(n) } }),
          ),
        );
        statuses.push(...patched.map((r) => r.status));
      }
    }
    phase('200 commands acknowledged');
    expect(statuses).toHaveLength(200);
    expect(statuses.filter((s) => s >= 300)).toEqual([]);

    broker.start();
    phase('broker started');
    const expected = (
      await mongo
        .db(db)
        .collection('event_commits')
        .find({ streamId: { $in: ids.map((id) => `billing_schedule-${id}`) } })
        .toArray()
    ).flatMap((commit) => commit.events as { id: string; streamId: string; version: number }[]);
    expect(expected).toHaveLength(200);
    await waitFor(
      'all 200 events on the topic after the broker returned',
      () => expected.every((e) => collector.messages.some((m) => m.envelope.id === e.id)),
      120_000,
    );

    phase('all 200 events received');
    const firstSeen = new Map<string, number[]>();
    const seenIds = new Set<string>();
    for (const m of collector.messages) {
      if (seenIds.has(m.envelope.id)) continue;
      seenIds.add(m.envelope.id);
      firstSeen.set(m.key, [...(firstSeen.get(m.key) ?? []), m.envelope.version]);
    }
    for (const id of ids) expect(firstSeen.get(`billing_schedule-${id}`)).toEqual([1, 2, 3, 4, 5]);
    await waitFor(
      'the broker reported up again',
      async () => (await api.http().get('/health/ready')).body.info?.broker?.status === 'up',
      30_000,
    );
    // 200 commands, a broker stop and a JVM start: 80 s on an idle machine, over 120 s on a
    // loaded one. The waits above have their own limits; this only guards against a hang.
  }, 300_000);
});
