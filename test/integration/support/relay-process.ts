/**
 * Only the outbox relay, as a process of its own, so that a test can SIGKILL it mid-batch.
 * Env: MONGODB_URI, MONGODB_DB, KAFKA_BROKERS, KAFKA_TOPIC, RELAY_BATCH, RELAY_LEASE_TTL_MS, and
 * RELAY_KILL_AFTER_SENDS=n: SIGKILL itself right after the n-th batch is acknowledged by Kafka and
 * before the relay records its checkpoint — the worst moment for a crash.
 */
import { MongoClient } from 'mongodb';
import { MongoEventStore, MongoLeaseStore } from '@app/event-store';
import type { StoredEvent } from '@app/event-store';
import {
  KafkaEventProducer,
  MongoCheckpointStore,
  OutboxRelay,
  type EventSink,
} from '@app/messaging';

function killedAfter(sink: EventSink, sends: number): EventSink {
  let sent = 0;
  return {
    send: async (events: readonly StoredEvent[]) => {
      await sink.send(events);
      if (++sent === sends) process.kill(process.pid, 'SIGKILL');
    },
  };
}

async function main(): Promise<void> {
  const env = process.env;
  const client = await MongoClient.connect(env.MONGODB_URI as string);
  const db = client.db(env.MONGODB_DB);
  const relay = new OutboxRelay({
    store: await MongoEventStore.open(db),
    leases: await MongoLeaseStore.open(db),
    checkpoints: new MongoCheckpointStore(db),
    sink: killedAfter(
      new KafkaEventProducer({
        brokers: (env.KAFKA_BROKERS as string).split(','),
        topic: env.KAFKA_TOPIC as string,
      }),
      Number(env.RELAY_KILL_AFTER_SENDS ?? 0),
    ),
    batchSize: Number(env.RELAY_BATCH ?? 50),
    leaseTtlMs: Number(env.RELAY_LEASE_TTL_MS ?? 10_000),
    pollIntervalMs: 50,
    log: (message) => process.stderr.write(`${message}\n`),
  });
  relay.start();
  process.stdout.write('relay started\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
