import type { INestMicroservice } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { ConsumerLagReporter } from '../../apps/projector/src/consumer-lag';
import { MongoEventStore } from '@app/event-store';
import { DEFAULT_TOPIC_SETTINGS } from '@app/messaging';
import { MongoAccountSchedulesReadModel, MongoBillingScheduleReadModel } from '@app/read-models';
import { associateEdit, intervalBody, scheduleBody } from '../support/test-app';
import { dropDatabase, KAFKA_BROKERS, MONGODB_URI, uniqueName } from './support/infra';
import { startProductionApp, waitFor } from './support/production';

const db = uniqueName('projsrc');
const projectionDb = uniqueName('projdst');
const rebuildDb = uniqueName('projfresh');
const topic = uniqueName('schedule-events');
// The projector's Kafka pattern is fixed when its controller class is decorated.
process.env.KAFKA_TOPIC = topic;

describe('Kafka-fed projector', () => {
  let mongo: MongoClient;
  let api: Awaited<ReturnType<typeof startProductionApp>>;
  let projector: INestMicroservice | undefined;
  const groupId = uniqueName('projector');

  async function startProjector(group = groupId) {
    const { createProjector } = await import('../../apps/projector/src/main');
    const app = await createProjector({
      mongodbUri: MONGODB_URI,
      mongodbDb: db,
      projectionDb,
      kafkaBrokers: KAFKA_BROKERS,
      kafkaTopic: topic,
      kafkaTopicSettings: DEFAULT_TOPIC_SETTINGS,
      groupId: group,
      logLevel: 'silent',
    });
    await app.listen();
    return app;
  }

  const projected = (id: string) =>
    mongo
      .db(projectionDb)
      .collection<{ _id: string; version: number }>('billing_schedules')
      .findOne({ _id: id });
  const documents = async (database: string, collection: string) =>
    mongo.db(database).collection(collection).find({}).sort({ _id: 1 }).toArray();

  beforeAll(async () => {
    mongo = await MongoClient.connect(MONGODB_URI);
    api = await startProductionApp(db, topic);
  });
  afterAll(async () => {
    await projector?.close();
    await api?.close();
    await mongo?.close();
    for (const name of [db, projectionDb, rebuildDb]) await dropDatabase(name);
  });

  it('builds the read models from the topic, catches up after a restart, and equals a fresh rebuild', async () => {
    projector = await startProjector();
    const created = await api
      .http()
      .post('/v0/billingSchedules')
      .set(api.auth())
      .send(scheduleBody());
    const id = created.body.id;
    await api
      .http()
      .put(`/v0/billingSchedules/${id}/intervals`)
      .set(api.auth())
      .send({ intervals: [intervalBody()] });
    await waitFor(
      'the projector to apply version 2',
      async () => (await projected(id))?.version === 2,
    );
    expect((await api.http().get(`/v0/billingSchedules/${id}`).set(api.auth())).body.version).toBe(
      2,
    );

    await projector.close();
    projector = undefined;
    for (let n = 0; n < 3; n++) {
      await api
        .http()
        .patch(`/v0/billingSchedules/${id}`)
        .set(api.auth())
        .send({ metadata: { n: String(n) } });
    }
    await api
      .http()
      .post('/v2/accounts/ACC1/edit_schedules')
      .set(api.auth())
      .send({
        edits: [
          associateEdit({ interval: 'MONTHLY', startOffset: { dayOffset: '1' }, gracePeriod: 0 }),
        ],
      });
    await api.http().post('/v2/accounts/ACC1/finalize_schedules').set(api.auth()).send({});

    projector = await startProjector();
    await waitFor(
      'the restarted projector to catch up',
      async () => (await projected(id))?.version === 5,
    );

    // A fresh rebuild straight from the store must equal what the projector built from Kafka.
    const store = await MongoEventStore.open(mongo.db(db));
    const fresh = {
      schedules: await MongoBillingScheduleReadModel.open(mongo.db(rebuildDb)),
      accounts: await MongoAccountSchedulesReadModel.open(mongo.db(rebuildDb)),
    };
    const events = await store.readAll({ after: 0, limit: 10_000 });
    await fresh.schedules.apply(events);
    await fresh.accounts.apply(events);
    await waitFor(
      'the account stream to be projected',
      async () =>
        (await documents(projectionDb, 'account_schedules')).length ===
        (await documents(rebuildDb, 'account_schedules')).length,
    );
    expect(await documents(projectionDb, 'billing_schedules')).toEqual(
      await documents(rebuildDb, 'billing_schedules'),
    );
    expect(await documents(projectionDb, 'account_schedules')).toEqual(
      await documents(rebuildDb, 'account_schedules'),
    );

    // Redelivery of the whole topic (a new group from the beginning) applies nothing twice.
    const before = await documents(projectionDb, 'billing_schedules');
    const replay = await startProjector(uniqueName('replay'));
    try {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      expect(await documents(projectionDb, 'billing_schedules')).toEqual(before);
    } finally {
      await replay.close();
    }
  });

  it('reports its lag per partition: all of the topic for a group that read nothing, 0 once caught up', async () => {
    const total = (await api.http().get('/metrics')).text.match(
      /^events_appended_total\{[^}]*\} \d+$/gm,
    );
    const appended = (total ?? []).reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    expect(appended).toBeGreaterThan(0);
    const lagOf = async (group: string) => {
      const reporter = new ConsumerLagReporter({
        brokers: KAFKA_BROKERS,
        topic,
        groupId: group,
        registry: new Registry(),
      });
      try {
        return [...(await reporter.report()).values()].reduce((sum, n) => sum + n, 0);
      } finally {
        await reporter.stop();
      }
    };
    expect(await lagOf(uniqueName('idle'))).toBe(appended);
    await waitFor(
      'the projector group to commit everything',
      async () => (await lagOf(groupId)) === 0,
    );
  });
});
