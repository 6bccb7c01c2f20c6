import type { ChildProcess } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { MongoEventStore } from '@app/event-store';
import { dropDatabase, KAFKA_BROKERS, MONGODB_URI, uniqueName } from './support/infra';
import { collectTopic, spawnTs, waitFor } from './support/production';

const STREAMS = 100;
const EVENTS_PER_STREAM = 10;

function startRelay(db: string, topic: string, killAfterSends = 0): ChildProcess {
  return spawnTs('test/integration/support/relay-process.ts', {
    MONGODB_URI,
    MONGODB_DB: db,
    KAFKA_BROKERS: KAFKA_BROKERS.join(','),
    KAFKA_TOPIC: topic,
    RELAY_BATCH: '20',
    RELAY_LEASE_TTL_MS: '1500',
    RELAY_KILL_AFTER_SENDS: String(killAfterSends),
  });
}

describe('outbox relay killed mid-batch', () => {
  const db = uniqueName('relay');
  const topic = uniqueName('schedule-events');
  let mongo: MongoClient;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    mongo = await MongoClient.connect(MONGODB_URI);
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await mongo?.close();
    await dropDatabase(db);
  });

  it('loses nothing after SIGKILL and a restart; any duplicate carries the same event id and envelope', async () => {
    const store = await MongoEventStore.open(mongo.db(db));
    const appended: { id: string; streamId: string; version: number }[] = [];
    for (let v = 0; v < EVENTS_PER_STREAM; v++) {
      for (let s = 0; s < STREAMS; s++) {
        const { events } = await store.append({
          streamId: `test_stream-${s}`,
          streamType: 'test_stream',
          tenantId: 'tenant',
          expectedVersion: v,
          events: [
            {
              id: `00000000-0000-7000-8000-${String(v * STREAMS + s).padStart(12, '0')}`,
              type: 'Happened',
              schemaVersion: 1,
              occurredAt: '2024-01-01T00:00:00Z',
              data: { s, v },
              metadata: { correlationId: 'seed', causationId: 'seed' },
            },
          ],
        });
        appended.push(...events);
      }
    }
    const collector = await collectTopic(topic);
    try {
      // It kills itself right after its 5th batch (20 events) is acknowledged, before the checkpoint.
      const first = startRelay(db, topic, 5);
      children.push(first);
      const signal = await new Promise<string | null>((resolve) =>
        first.once('exit', (_, sig) => resolve(sig)),
      );
      expect(signal).toBe('SIGKILL');
      const checkpoint = await mongo
        .db(db)
        .collection('relay_checkpoints')
        .findOne({ _id: 'outbox-relay' as never });
      expect(checkpoint?.position).toBe(80);
      await waitFor('the 100 events it published', () => collector.messages.length >= 100);
      const atKill = collector.messages.length;
      expect(atKill).toBeLessThan(appended.length);

      children.push(startRelay(db, topic));
      await waitFor(
        'every event after the restart',
        () => new Set(collector.messages.map((m) => m.envelope.id)).size === appended.length,
        90_000,
      );

      const byId = new Map<string, string>();
      for (const m of collector.messages) {
        const body = JSON.stringify(m.envelope);
        expect(byId.get(m.envelope.id) ?? body).toBe(body);
        byId.set(m.envelope.id, body);
      }
      expect([...byId.keys()].sort()).toEqual(appended.map((e) => e.id).sort());

      const order = new Map<string, number[]>();
      const seen = new Set<string>();
      for (const m of collector.messages) {
        if (seen.has(m.envelope.id)) continue;
        seen.add(m.envelope.id);
        order.set(m.key, [...(order.get(m.key) ?? []), m.envelope.version]);
      }
      for (const versions of order.values()) {
        expect(versions).toEqual(Array.from({ length: EVENTS_PER_STREAM }, (_, i) => i + 1));
      }
      process.stdout.write(
        `\n[relay-crash] killed after ${atKill} messages, ${collector.messages.length} received in all; ${collector.messages.length - appended.length} duplicate(s) after restart\n`,
      );
      // The batch whose checkpoint was never recorded went out again, under the same ids.
      expect(collector.messages.length - appended.length).toBe(20);
    } finally {
      await collector.stop();
    }
  });
});
