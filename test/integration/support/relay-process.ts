/**
 * Only the outbox relay, as a process of its own, so that a test can SIGKILL it mid-batch.
 * Env: MONGODB_URI, MONGODB_DB, KAFKA_BROKERS, KAFKA_TOPIC, RELAY_BATCH, RELAY_LEASE_TTL_MS.
 */
import { MongoClient } from 'mongodb';
import { MongoEventStore, MongoLeaseStore } from '@app/event-store';
import { KafkaEventProducer, MongoCheckpointStore, OutboxRelay } from '@app/messaging';

async function main(): Promise<void> {
  const env = process.env;
  const client = await MongoClient.connect(env.MONGODB_URI as string);
  const db = client.db(env.MONGODB_DB);
  const relay = new OutboxRelay({
    store: await MongoEventStore.open(db),
    leases: await MongoLeaseStore.open(db),
    checkpoints: new MongoCheckpointStore(db),
    sink: new KafkaEventProducer({
      brokers: (env.KAFKA_BROKERS as string).split(','),
      topic: env.KAFKA_TOPIC as string,
    }),
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
