import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BILLING_SCHEDULE_STREAM_TYPE, billingScheduleStreamId } from '@app/domain';
import type { AppendRequest, StoredEvent } from '@app/event-store';
import { newEventId } from '../../apps/api/src/infrastructure/ids';
import { decidedSchedule, newScheduleId, scheduleShape } from '../support/fixtures';
import { alternate, pool, type PoolResult } from '../support/pool';
import { log } from '../support/processes';
import { fmt, ms, measured, unmeasured, type Row } from '../support/report';
import { openStore } from '../support/seed';

const MONGODB_URI =
  process.env.BENCH_MONGODB_URI ?? 'mongodb://127.0.0.1:27017/?directConnection=true';
const KAFKA_BROKERS = (process.env.BENCH_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
/** The outbox relay's batch (OutboxRelay's default batchSize). */
const RELAY_BATCH = 500;
const CONCURRENT = 50;

const speed = (r: PoolResult, unit: string) => `${fmt(r.perSecond)} ${unit}/s, p99 ${ms(r.p99)}`;

/** The domain's BillingScheduleCreated for a fresh schedule, as one append of one event. */
const createdTemplate = decidedSchedule(
  newScheduleId(),
  'bench_tenant',
  scheduleShape('2024-01-01T00:00:00Z'),
  '2023-12-15T00:00:00Z',
  false,
).events[0];

function appendOne(): AppendRequest {
  const id = newEventId();
  return {
    streamId: billingScheduleStreamId(newScheduleId()),
    streamType: BILLING_SCHEDULE_STREAM_TYPE,
    tenantId: 'bench_tenant',
    expectedVersion: 0,
    events: [
      {
        id,
        type: createdTemplate.type,
        schemaVersion: createdTemplate.schemaVersion,
        occurredAt: '2023-12-15T00:00:00Z',
        data: createdTemplate.data,
        metadata: { correlationId: id, causationId: id },
      },
    ],
  };
}

/**
 * The embedded default store (as the service opens it), 50 appends in flight, against raw
 * better-sqlite3 with the same durability committing the same 50 rows per transaction.
 */
export async function embeddedAppendRow(seconds: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-append-'));
  try {
    log('stores: embedded append, 50 concurrent');
    const { context, store } = await openStore(join(dir, 'service'));
    let service: PoolResult;
    try {
      service = await pool(seconds, CONCURRENT, () => store.append(appendOne()));
    } finally {
      await context.close();
    }
    log('stores: raw better-sqlite3, 50 rows per transaction');
    const db = new Database(join(dir, 'raw.sqlite'));
    let raw: PoolResult;
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(
        'CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT UNIQUE, stream_id TEXT, version INTEGER, tenant_id TEXT, type TEXT, data TEXT)',
      );
      const insert = db.prepare(
        'INSERT INTO events (id, stream_id, version, tenant_id, type, data) VALUES (?, ?, 1, ?, ?, ?)',
      );
      const batch = db.transaction((requests: AppendRequest[]) => {
        for (const r of requests) {
          const [event] = r.events;
          insert.run(event.id, r.streamId, r.tenantId, event.type, JSON.stringify(event));
        }
      });
      const batches = await pool(seconds, 1, async () =>
        batch(Array.from({ length: CONCURRENT }, appendOne)),
      );
      raw = { ...batches, perSecond: batches.perSecond * CONCURRENT };
    } finally {
      db.close();
    }
    return measured({
      name: 'embedded append (group commit, 50 concurrent)',
      value: speed(service, 'appends'),
      baseline: `raw better-sqlite3, WAL + synchronous=FULL, 50 rows per transaction: ${speed(raw, 'rows')} (per batch)`,
      ratio: service.perSecond / raw.perSecond,
      target: '',
      figures: {
        perSecond: service.perSecond,
        p99Ms: service.p99,
        rawRowsPerSecond: raw.perSecond,
        rawBatchP99Ms: raw.p99,
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function reachable(address: string, fallbackPort: number): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port || fallbackPort), host, () => done(true));
  });
}

/** MongoEventStore.append against raw insertOne of the very document it stored, one at a time. */
export async function mongoAppendRow(seconds: number): Promise<Row> {
  const name = 'MongoDB append (MongoEventStore, sequential)';
  const target = '≥ 0.8';
  const url = new URL(MONGODB_URI);
  if (!(await reachable(`${url.hostname}:${url.port || 27017}`, 27017))) {
    return unmeasured(name, 'skipped', `server not reachable (${url.host})`, target);
  }
  const { MongoClient } = await import('mongodb');
  const { MongoEventStore, EVENT_COMMITS_COLLECTION } =
    await import('../../libs/event-store/src/mongo/mongo-event-store');
  const client = new MongoClient(MONGODB_URI, { serverSelectionTimeoutMS: 3000 });
  const suffix = newEventId().replace(/-/g, '').slice(-12);
  const storeDb = client.db(`bench_store_${suffix}`);
  const rawDb = client.db(`bench_raw_${suffix}`);
  let documentBytes = 0;
  try {
    await client.connect();
    log('stores: MongoEventStore.append and raw insertOne, alternating');
    const store = await MongoEventStore.open(storeDb);
    let service: PoolResult;
    let baseline: PoolResult;
    try {
      await store.append(appendOne());
      const { _id, ...stored } = (await storeDb.collection(EVENT_COMMITS_COLLECTION).findOne({}))!;
      void _id;
      const raw = rawDb.collection('commits');
      [service, baseline] = await alternate(
        seconds,
        1,
        () => store.append(appendOne()),
        () => raw.insertOne({ ...stored }),
      );
      documentBytes = JSON.stringify(stored).length;
    } finally {
      await store.close();
    }
    return measured({
      name,
      value: speed(service, 'appends'),
      baseline: `raw insertOne of the same ${fmt(documentBytes)}-byte document: ${speed(baseline, 'inserts')}`,
      ratio: service.perSecond / baseline.perSecond,
      target,
      met: service.perSecond / baseline.perSecond >= 0.8,
      figures: {
        perSecond: service.perSecond,
        p99Ms: service.p99,
        rawPerSecond: baseline.perSecond,
        rawP99Ms: baseline.p99,
      },
    });
  } catch (error) {
    return unmeasured(
      name,
      'failed',
      error instanceof Error ? error.message : String(error),
      target,
    );
  } finally {
    await Promise.allSettled([storeDb.dropDatabase(), rawDb.dropDatabase()]);
    await client.close().catch(() => undefined);
  }
}

/**
 * The relay's sink (KafkaEventProducer.send of one relay batch) against raw kafkajs send of
 * the same messages with the same acks (-1) and producer settings (idempotent, 1 in flight).
 */
export async function relayRow(seconds: number): Promise<Row> {
  const name = `relay (KafkaEventProducer.send, batches of ${RELAY_BATCH})`;
  const target = '≥ 0.8';
  if (!(await reachable(KAFKA_BROKERS[0], 9092))) {
    return unmeasured(name, 'skipped', `server not reachable (${KAFKA_BROKERS[0]})`, target);
  }
  const { Kafka, Partitioners, logLevel } = await import('kafkajs');
  const { KafkaEventProducer } = await import('@app/messaging');
  const { toKafkaMessage } = await import('../../libs/messaging/src/kafka/cloud-event-message');
  const suffix = newEventId().replace(/-/g, '').slice(-12);
  const serviceTopic = `bench-relay-${suffix}`;
  const rawTopic = `bench-raw-${suffix}`;
  const kafka = new Kafka({
    clientId: 'bench',
    brokers: KAFKA_BROKERS,
    logLevel: logLevel.ERROR,
    connectionTimeout: 3000,
  });
  const admin = kafka.admin();
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const sink = new KafkaEventProducer({
    brokers: KAFKA_BROKERS,
    topic: serviceTopic,
    clientId: 'bench-relay',
    topicSettings: { partitions: 3, replicationFactor: -1 },
  });
  let position = 0;
  const batch = (): StoredEvent[] =>
    Array.from({ length: RELAY_BATCH }, () => {
      const request = appendOne();
      return {
        ...request.events[0],
        streamId: request.streamId,
        streamType: request.streamType,
        tenantId: request.tenantId,
        version: 1,
        recordedAt: '2023-12-15T00:00:00Z',
        position: ++position,
      };
    });
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: rawTopic, numPartitions: 3 }],
    });
    await producer.connect();
    await sink.connect();
    log('stores: relay sink and raw kafkajs send, alternating');
    const [service, raw] = await alternate(
      seconds,
      1,
      () => sink.send(batch()),
      () => producer.send({ topic: rawTopic, acks: -1, messages: batch().map(toKafkaMessage) }),
    );
    const perEvent = (r: PoolResult) => ({ ...r, perSecond: r.perSecond * RELAY_BATCH });
    return measured({
      name,
      value: speed(perEvent(service), 'events'),
      baseline: `raw kafkajs send, same ${RELAY_BATCH} messages, acks -1: ${speed(perEvent(raw), 'events')}`,
      ratio: service.perSecond / raw.perSecond,
      target,
      met: service.perSecond / raw.perSecond >= 0.8,
      figures: {
        eventsPerSecond: service.perSecond * RELAY_BATCH,
        batchP99Ms: service.p99,
        rawEventsPerSecond: raw.perSecond * RELAY_BATCH,
        rawBatchP99Ms: raw.p99,
      },
    });
  } catch (error) {
    return unmeasured(
      name,
      'failed',
      error instanceof Error ? error.message : String(error),
      target,
    );
  } finally {
    await Promise.allSettled([producer.disconnect(), sink.disconnect()]);
    await admin.deleteTopics({ topics: [rawTopic, serviceTopic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
