import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore, type NewEvent } from '@app/event-store';
import { cloudEventHeadersOf, envelopeSchemaOf, type OutboxRelay } from '@app/messaging';
import { OUTBOX_RELAY } from '../../apps/api/src/infrastructure/persistence.module';
import { dropDatabase, uniqueName } from './support/infra';
import { collectTopic, startProductionApp, waitFor } from './support/production';

/**
 * Issue 8 §6 on MongoDB + Kafka: a stream stored by the old code (BillingPeriodUpdated v1, the
 * fixture) is appended raw into the MongoDB store; the API answers it as v2 and the outbox relay
 * publishes it to the real topic as v2, and every message on the topic matches the AsyncAPI
 * schemas of its (type, schemaVersion).
 */

interface StreamFixture {
  streamId: string;
  streamType: string;
  tenantId: string;
  events: NewEvent[];
}

describe('schema evolution on MongoDB and Kafka', () => {
  const db = uniqueName('schema_evolution');
  const topic = uniqueName('schema-evolution');
  let app: Awaited<ReturnType<typeof startProductionApp>>;
  let collector: Awaited<ReturnType<typeof collectTopic>>;
  let fixture: StreamFixture;

  beforeAll(async () => {
    fixture = JSON.parse(
      await readFile(
        join(__dirname, '..', 'fixtures', 'billing-period-updated-v1.stream.json'),
        'utf8',
      ),
    ) as StreamFixture;
    collector = await collectTopic(topic);
    app = await startProductionApp(db, topic);
  });
  afterAll(async () => {
    await app?.close();
    await collector?.stop();
    await dropDatabase(db);
  });

  it('reads the v1 event as v2 through the API and publishes it as v2', async () => {
    await app.app.get<EventStore>(EVENT_STORE).append({
      streamId: fixture.streamId,
      streamType: fixture.streamType,
      tenantId: fixture.tenantId,
      expectedVersion: 0,
      events: fixture.events,
    });
    const v1 = fixture.events.at(-1)!;
    const scheduleId = (v1.data as { scheduleId: string }).scheduleId;

    const answered = await app
      .http()
      .get(`/v0/billingSchedules/${scheduleId}?asOf=${v1.occurredAt}`)
      .set(app.auth());
    expect(answered.body).toMatchObject({ currentPeriodStart: '2024-02-01T00:00:00Z', version: 5 });

    app.app.get<OutboxRelay>(OUTBOX_RELAY).nudge();
    await waitFor('the fixture on the topic', () =>
      collector.messages.some((m) => m.envelope.id === v1.id),
    );
    const message = collector.messages.find((m) => m.envelope.id === v1.id)!;
    expect(message.key).toBe(fixture.streamId);
    expect(message.envelope).toMatchObject({
      schemaVersion: 2,
      data: {
        currentPeriod: { startDate: '2024-02-01T00:00:00Z', endDate: '2024-03-01T00:00:00Z' },
      },
    });
    expect(message.envelope.data).not.toHaveProperty('currentPeriodStart');
    for (const received of collector.messages) {
      const { type, schemaVersion } = received.envelope as unknown as {
        type: string;
        schemaVersion: number;
      };
      expect(
        envelopeSchemaOf(type, schemaVersion)?.safeParse(received.envelope).error,
      ).toBeUndefined();
      expect(
        cloudEventHeadersOf({ type, streamType: fixture.streamType }).safeParse(received.headers)
          .error,
      ).toBeUndefined();
    }
  });
});
