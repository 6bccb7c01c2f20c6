import { MongoClient } from 'mongodb';
import { MongoEventStore, type StoredEvent } from '@app/event-store';
import { toEnvelope, toKafkaMessage } from '@app/messaging';
import { lines, resumeCursor, runCli } from '../cli/support/cli';
import { dropDatabase, KAFKA_BROKERS, MONGODB_URI, uniqueName } from './support/infra';
import { collectTopic, waitFor, type ReceivedMessage } from './support/production';

/** Issue 10: `billing-events replay` and `stats` on MongoDB and the real broker, as a child process. */
const STREAMS = 12;
const EVENTS_PER_STREAM = 5;

describe('billing-events replay --to-topic and stats (MongoDB, Kafka)', () => {
  const db = uniqueName('cli_replay');
  let mongo: MongoClient;
  const stored: StoredEvent[] = [];
  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    MONGODB_URI,
    MONGODB_DB: db,
    KAFKA_BROKERS: KAFKA_BROKERS.join(','),
    ...extra,
  });

  beforeAll(async () => {
    mongo = await MongoClient.connect(MONGODB_URI);
    const store = await MongoEventStore.open(mongo.db(db));
    // Streams interleaved in commit order, so per-stream order is not just commit order.
    for (let v = 0; v < EVENTS_PER_STREAM; v++) {
      for (let s = 0; s < STREAMS; s++) {
        const { events } = await store.append({
          streamId: `replay_stream-${s}`,
          streamType: 'replay_stream',
          tenantId: s % 3 === 0 ? 'tenant_b' : 'tenant_a',
          expectedVersion: v,
          events: [
            {
              id: `00000000-0000-7000-8000-${String(v * STREAMS + s).padStart(12, '0')}`,
              type: 'Happened',
              schemaVersion: 1,
              occurredAt: `2024-01-0${v + 1}T00:00:00Z`,
              data: { s, v },
              metadata: { correlationId: `corr-${s}`, causationId: `cause-${v}` },
            },
          ],
        });
        stored.push(...events);
      }
    }
  });
  afterAll(async () => {
    await mongo?.close();
    await dropDatabase(db);
  });

  function expectReplayed(messages: ReceivedMessage[], events: StoredEvent[]) {
    expect(messages).toHaveLength(events.length);
    const byId = new Map(events.map((event) => [event.id, event]));
    expect(new Set(messages.map((m) => m.envelope.id)).size).toBe(events.length);
    for (const message of messages) {
      const event = byId.get(message.envelope.id)!;
      const original = toKafkaMessage(event);
      expect(message.key).toBe(original.key);
      expect(message.headers).toEqual(original.headers);
      expect(message.envelope).toEqual(toEnvelope(event));
    }
    // Per stream, the versions arrive as 1, 2, 3, … (one partition per key).
    const versions = new Map<string, number[]>();
    for (const message of messages) {
      versions.set(message.key, [...(versions.get(message.key) ?? []), message.envelope.version]);
    }
    for (const [stream, seen] of versions) {
      const expected = events.filter((e) => e.streamId === stream).map((e) => e.version);
      expect(seen).toEqual(expected);
    }
  }

  it('every event arrives once, per-stream order kept, key and headers equal to the originals', async () => {
    const topic = uniqueName('cli-replay');
    const collector = await collectTopic(topic);
    try {
      const run = await runCli(['replay', '--to-topic', topic], env());
      expect(run.code).toBe(0);
      expect(lines(run.stderr).at(-1)).toMatch(
        new RegExp(
          `^sent ${stored.length} events to ${topic} in .*events/s\\); resume with --after \\S+$`,
        ),
      );
      await waitFor('the replayed events', () => collector.messages.length >= stored.length);
      await new Promise((resolve) => setTimeout(resolve, 500)); // any duplicate would show now
      expectReplayed(collector.messages, stored);
    } finally {
      await collector.stop();
    }
  });

  it('a replay interrupted by Ctrl-C and resumed with --after delivers each event once, in order', async () => {
    const topic = uniqueName('cli-replay-resumed');
    const tenantA = stored.filter((event) => event.tenantId === 'tenant_a');
    const collector = await collectTopic(topic);
    try {
      let signalled = false;
      const first = await runCli(
        [
          'replay',
          '--to-topic',
          topic,
          '--tenant',
          'tenant_a',
          '--rate',
          '20',
          '--batch-size',
          '10',
        ],
        env(),
        (stderr, child) => {
          if (!signalled && /^replay: read/m.test(stderr)) {
            signalled = true;
            child.kill('SIGINT');
          }
        },
      );
      expect(first.code).toBe(130);
      const sent = Number(/^interrupted: sent (\d+) events/m.exec(first.stderr)?.[1]);
      expect(sent).toBeGreaterThan(0);
      expect(sent).toBeLessThan(tenantA.length);
      const rest = await runCli(
        [
          'replay',
          '--to-topic',
          topic,
          '--tenant',
          'tenant_a',
          '--after',
          resumeCursor(first.stderr),
        ],
        env(),
      );
      expect(rest.code).toBe(0);
      expect(rest.stderr).toMatch(new RegExp(`^sent ${tenantA.length - sent} events`, 'm'));
      await waitFor('the replayed events', () => collector.messages.length >= tenantA.length);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expectReplayed(collector.messages, tenantA);
    } finally {
      await collector.stop();
    }
  });

  it('refuses the live topic', async () => {
    const run = await runCli(
      ['replay', '--to-topic', 'live-topic'],
      env({ KAFKA_TOPIC: 'live-topic' }),
    );
    expect(run.code).not.toBe(0);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/is the service's live topic/)]);
  });

  it('stats reports the relay lag behind the store and the projector lag behind the topic', async () => {
    const topic = uniqueName('cli-stats');
    const collector = await collectTopic(topic); // creates the topic
    await collector.stop();
    expect((await runCli(['replay', '--to-topic', topic], env())).code).toBe(0);
    await mongo
      .db(db)
      .collection<{ _id: string; position: number }>('relay_checkpoints')
      .updateOne({ _id: 'outbox-relay' }, { $set: { position: 20 } }, { upsert: true });
    const run = await runCli(
      ['stats', '--format', 'json'],
      env({ KAFKA_TOPIC: topic, PROJECTOR_GROUP_ID: uniqueName('no-commits') }),
    );
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout);
    expect(stats).toMatchObject({
      events: stored.length,
      streams: STREAMS,
      byTenant: { tenant_a: 40, tenant_b: 20 },
      byType: { Happened: stored.length },
      relayLag: { events: stored.length - 20 },
      // A group that committed nothing is behind by every message of the topic.
      projectorLag: { events: stored.length },
    });
  });

  it('an unknown tenant: one line, exit code ≠ 0', async () => {
    const run = await runCli(['export', '--tenant', 'tenant_z'], env());
    expect(run.code).not.toBe(0);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/unknown tenant "tenant_z"/)]);
  });
});
