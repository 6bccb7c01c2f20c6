/**
 * Benchmark suite: each service-level measurement is paired with a raw "substrate" measured in
 * the same run, and reported as a ratio (the machine is noisy; absolute numbers are not
 * comparable between runs, ratios mostly are). See bench/README.md.
 *
 *   TS_NODE_PROJECT=tsconfig.json node -r @swc-node/register -r tsconfig-paths/register bench/run.ts
 *
 * Env knobs: BENCH_ITERATIONS (default 2000), BENCH_WARMUP (200), BENCH_EXTERNAL_ITERATIONS (300),
 * BENCH_CONCURRENCY (8), BENCH_MONGODB_URI, BENCH_KAFKA_BROKERS.
 */
import 'reflect-metadata';
process.env.LOG_LEVEL = 'silent';

import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../apps/api/src/bootstrap';
import { loadConfig } from '../apps/api/src/config/app-config';
import type {
  ScheduleInterval,
  ScheduleTerms,
} from '../libs/domain/src/billing-schedule/billing-schedule.types';
import { billingPeriods } from '../libs/domain/src/periods';
import type { AppendRequest, StoredEvent } from '../libs/event-store/src/event-store.port';
import { EmbeddedDatabase } from '../libs/event-store/src/sqlite/embedded-database';
import { EVENT_LOG_FILE } from '../libs/event-store/src/sqlite/jsonl-migration';
import { SqliteEventStore } from '../libs/event-store/src/sqlite/sqlite-event-store';

const ITERATIONS = envInt('BENCH_ITERATIONS', 2000);
const WARMUP = envInt('BENCH_WARMUP', 200);
const EXTERNAL_ITERATIONS = envInt('BENCH_EXTERNAL_ITERATIONS', 300);
const EXTERNAL_WARMUP = Math.min(WARMUP, 30);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 8);
const MONGODB_URI =
  process.env.BENCH_MONGODB_URI ?? 'mongodb://127.0.0.1:27017/?directConnection=true';
const KAFKA_BROKERS = (process.env.BENCH_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v && /^\d+$/.test(v) ? Number(v) : fallback;
}

// ── measurement ─────────────────────────────────────────────────────────────────────────────

interface Stats {
  opsPerSec: number;
  p50?: number;
  p99?: number;
}

interface Row {
  name: string;
  substrate: string;
  service: Stats;
  base: Stats;
}

const rows: Row[] = [];
const notes: string[] = [];

/**
 * Runs `op(i)` `warmup` times, then `iterations` times with `concurrency` workers pulling from a
 * shared counter; returns throughput and per-op latency percentiles (ms).
 */
async function measure(
  op: (i: number) => Promise<unknown>,
  iterations: number,
  warmup: number,
  concurrency = 1,
): Promise<Stats> {
  await runPool(op, warmup, concurrency, 0, null);
  const latencies = new Float64Array(iterations);
  const start = performance.now();
  await runPool(op, iterations, concurrency, warmup, latencies);
  const elapsed = performance.now() - start;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return {
    opsPerSec: (iterations / elapsed) * 1000,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
  };
}

async function runPool(
  op: (i: number) => Promise<unknown>,
  count: number,
  concurrency: number,
  offset: number,
  latencies: Float64Array | null,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await op(offset + i);
      if (latencies) latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Synchronous CPU work: throughput only, measured over the whole batch. */
function measureSync(op: () => unknown, iterations: number, warmup: number): Stats {
  for (let i = 0; i < warmup; i++) op();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) op();
  return { opsPerSec: (iterations / (performance.now() - start)) * 1000 };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

// ── 1. HTTP ─────────────────────────────────────────────────────────────────────────────────

@Controller()
class PingController {
  @Get('ping')
  ping(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({ controllers: [PingController] })
class BareModule {}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/**
 * One request on a keep-alive agent (node:http rather than fetch: on small machines undici's
 * per-request overhead would dominate and flatten the ratios). Rejects unless `status` comes back.
 */
function request(
  agent: Agent,
  url: string,
  status: number,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { agent, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === status) resolve(text);
          else
            reject(new Error(`HTTP ${res.statusCode} (expected ${status}) from ${url}: ${text}`));
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function benchHttp(): Promise<void> {
  const bare = await NestFactory.create(BareModule, { logger: false });
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-api-'));
  let service: INestApplication | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const bareUrl = await listen(bare);
    log(`HTTP substrate: bare Nest GET /ping (concurrency ${CONCURRENCY})`);
    const ping = () => request(agent, `${bareUrl}/ping`, 200);
    const pingStats = await measure(ping, ITERATIONS, WARMUP, CONCURRENCY);

    ({ app: service } = await createApp(
      loadConfig({
        DATA_DIR: dataDir,
        API_KEYS: 'bench_key=bench_tenant',
        BILLING_PERIOD_UPDATE_INTERVAL: '0',
        LOG_LEVEL: 'silent',
        // the bench measures the service, not its per-tenant limit
        RATE_LIMIT_PER_MINUTE: String(Number.MAX_SAFE_INTEGER),
      }),
    ));
    const url = await listen(service);
    const body = JSON.stringify({
      startDate: '2024-01-01T00:00:00Z',
      endDate: '2025-01-01T00:00:00Z',
      billingAnchor: '2024-01-01T00:00:00Z',
      orderId: 'ord_bench',
    });
    const auth = { Authorization: 'Bearer bench_key' };
    const postHeaders = {
      ...auth,
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
    };
    const create = () =>
      request(agent, `${url}/v0/billingSchedules`, 201, {
        method: 'POST',
        headers: postHeaders,
        body,
      });

    log('HTTP: POST /v0/billingSchedules');
    const createStats = await measure(create, ITERATIONS, WARMUP, CONCURRENCY);
    rows.push({
      name: 'POST /v0/billingSchedules',
      substrate: 'bare Nest GET /ping',
      service: createStats,
      base: pingStats,
    });

    const created = JSON.parse(await create()) as { id: string };
    log(`HTTP: GET /v0/billingSchedules/${created.id}`);
    const get = () =>
      request(agent, `${url}/v0/billingSchedules/${created.id}`, 200, { headers: auth });
    const getStats = await measure(get, ITERATIONS, WARMUP, CONCURRENCY);
    rows.push({
      name: 'GET /v0/billingSchedules/{id}',
      substrate: 'bare Nest GET /ping',
      service: getStats,
      base: pingStats,
    });
  } finally {
    agent.destroy();
    await Promise.allSettled([bare.close(), service?.close()]);
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ── 2. Store ────────────────────────────────────────────────────────────────────────────────

function appendRequest(i: number, runId: string): AppendRequest {
  const now = new Date().toISOString();
  return {
    streamId: `bs_bench_${runId}_${i}`,
    streamType: 'billing_schedule',
    tenantId: 'bench_tenant',
    expectedVersion: 0,
    events: [
      {
        id: randomUUID(),
        type: 'BillingScheduleCreated',
        schemaVersion: 1,
        occurredAt: now,
        data: {
          startDate: '2024-01-01T00:00:00Z',
          endDate: '2025-01-01T00:00:00Z',
          billingAnchor: '2024-01-01T00:00:00Z',
          orderId: 'ord_bench',
        },
        metadata: { correlationId: randomUUID(), causationId: randomUUID() },
      },
    ],
  };
}

async function benchStore(): Promise<void> {
  const rawDir = await mkdtemp(join(tmpdir(), 'bench-raw-'));
  const storeDir = await mkdtemp(join(tmpdir(), 'bench-store-'));
  const runId = randomUUID().slice(0, 8);
  try {
    log('Store substrate: fs append + datasync');
    const handle = await open(join(rawDir, 'raw.jsonl'), 'a');
    let rawStats: Stats;
    try {
      rawStats = await measure(
        async (i) => {
          await handle.write(
            `${JSON.stringify({ commitId: randomUUID(), ...appendRequest(i, runId) })}\n`,
          );
          await handle.datasync();
        },
        ITERATIONS,
        WARMUP,
      );
    } finally {
      await handle.close();
    }

    log('Store: SqliteEventStore.append');
    const embedded = await EmbeddedDatabase.open(storeDir);
    const store = new SqliteEventStore(embedded.db);
    try {
      const storeStats = await measure(
        (i) => store.append(appendRequest(i, runId)),
        ITERATIONS,
        WARMUP,
      );
      rows.push({
        name: 'SqliteEventStore.append',
        substrate: 'fs write+datasync',
        service: storeStats,
        base: rawStats,
      });
    } finally {
      await store.close();
      await embedded.close();
    }
  } finally {
    await rm(rawDir, { recursive: true, force: true });
    await rm(storeDir, { recursive: true, force: true });
  }
}

// ── 3. Engine ───────────────────────────────────────────────────────────────────────────────

function benchEngine(): void {
  const terms: ScheduleTerms = {
    startDate: '2024-01-01T00:00:00Z',
    endDate: '2029-01-01T00:00:00Z',
    billingAnchor: '2024-01-01T00:00:00Z',
    alignmentPolicy: 'anchor',
    prorationPolicy: 'none',
    periodPreset: 'P1M',
    customPeriodWindows: [],
    timezone: 'UTC',
    paymentTermDays: 30,
  };
  const interval = (id: string, over: Partial<ScheduleInterval>): ScheduleInterval => ({
    id,
    orderLineItemId: null,
    itemId: null,
    priceId: null,
    description: null,
    baseQuantity: '1',
    unitPrice: '10',
    billingCadence: 'P1M',
    billingMode: 'advance',
    quantityTransitions: [],
    billDate: null,
    usageFilter: null,
    metadata: {},
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
    startDate: terms.startDate,
    endDate: terms.endDate,
    ...over,
  });
  const intervals = [
    interval('si_1', {}),
    interval('si_2', {
      unitPrice: '99.5',
      billingCadence: 'P3M',
      billingMode: 'arrears',
      baseQuantity: '2',
      quantityTransitions: [{ effectiveDate: '2026-01-01T00:00:00Z', quantity: '5' }],
    }),
    interval('si_3', {
      unitPrice: '250',
      billingCadence: 'P1M',
      startDate: '2025-03-01T00:00:00Z',
      endDate: '2027-07-01T00:00:00Z',
    }),
  ];

  const sample = billingPeriods(terms, intervals);
  const json = JSON.stringify(sample);
  notes.push(
    `engine: ${sample.length} periods, ${sample.reduce((n, p) => n + p.lines.length, 0)} lines; ` +
      `substrate object = its output (${json.length} bytes of JSON)`,
  );
  log('Engine substrate: JSON.parse(JSON.stringify(obj))');
  const substrate = measureSync(() => JSON.parse(JSON.stringify(sample)), ITERATIONS, WARMUP);
  log('Engine: billingPeriods');
  const engine = measureSync(() => billingPeriods(terms, intervals), ITERATIONS, WARMUP);
  rows.push({
    name: 'billingPeriods 5y monthly, 3 intervals',
    substrate: 'JSON parse+stringify',
    service: engine,
    base: substrate,
  });
}

// ── 4. External: FerretDB/MongoDB + Kafka ───────────────────────────────────────────────────

function tcpAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

function hostPort(address: string, defaultPort: number): [string, number] {
  const [host, port] = address.split(':');
  return [host, port ? Number(port) : defaultPort];
}

async function benchExternal(): Promise<void> {
  const mongoHost = (() => {
    try {
      const u = new URL(MONGODB_URI);
      return [u.hostname, Number(u.port || 27017)] as [string, number];
    } catch {
      return ['127.0.0.1', 27017] as [string, number];
    }
  })();
  const kafkaHost = hostPort(KAFKA_BROKERS[0], 9092);
  const [mongoUp, kafkaUp] = await Promise.all([
    tcpAnswers(...mongoHost),
    tcpAnswers(...kafkaHost),
  ]);
  if (!mongoUp || !kafkaUp) {
    const down = [
      !mongoUp && `FerretDB/MongoDB ${mongoHost.join(':')}`,
      !kafkaUp && `Kafka ${kafkaHost.join(':')}`,
    ].filter(Boolean);
    notes.push(
      `SKIPPED section 4 (Mongo/Kafka): no TCP answer within 1 s from ${down.join(' and ')}`,
    );
    log(notes[notes.length - 1]);
    return;
  }
  await benchMongo();
  await benchKafka();
}

async function benchMongo(): Promise<void> {
  // Loaded lazily so that the rest of the suite never touches the drivers.
  const { MongoClient } = await import('mongodb');
  const { MongoEventStore } = await import('../libs/event-store/src/mongo/mongo-event-store');
  const client = new MongoClient(MONGODB_URI, { serverSelectionTimeoutMS: 3000 });
  const runId = randomUUID().slice(0, 8);
  const rawDb = client.db(`bench_raw_${runId}`);
  const storeDb = client.db(`bench_store_${runId}`);
  try {
    await client.connect();
    log('Mongo substrate: insertOne');
    const collection = rawDb.collection('commits');
    const raw = await measure(
      (i) => collection.insertOne({ commitId: randomUUID(), ...appendRequest(i, runId) }),
      EXTERNAL_ITERATIONS,
      EXTERNAL_WARMUP,
    );
    log('Mongo: MongoEventStore.append');
    const store = await MongoEventStore.open(storeDb);
    try {
      const stats = await measure(
        (i) => store.append(appendRequest(i, runId)),
        EXTERNAL_ITERATIONS,
        EXTERNAL_WARMUP,
      );
      rows.push({
        name: 'MongoEventStore.append',
        substrate: 'mongodb insertOne',
        service: stats,
        base: raw,
      });
    } finally {
      await store.close();
    }
  } catch (err) {
    notes.push(`Mongo section failed: ${err instanceof Error ? err.message : err}`);
  } finally {
    await Promise.allSettled([rawDb.dropDatabase(), storeDb.dropDatabase()]);
    await client.close().catch(() => undefined);
  }
}

async function benchKafka(): Promise<void> {
  const { Kafka, Partitioners, logLevel } = await import('kafkajs');
  const { KafkaEventProducer } = await import('../libs/messaging/src/kafka/kafka-event-producer');
  const runId = randomUUID().slice(0, 8);
  const rawTopic = `bench-raw-${runId}`;
  const serviceTopic = `bench-service-${runId}`;
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
  const service = new KafkaEventProducer({
    brokers: KAFKA_BROKERS,
    topic: serviceTopic,
    clientId: 'bench-service',
    topicSettings: { partitions: 3, replicationFactor: -1 }, // as the raw topic, for a fair ratio
  });
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: rawTopic, numPartitions: 3 }],
    });
    await producer.connect();
    log('Kafka substrate: producer.send');
    const raw = await measure(
      (i) =>
        producer.send({
          topic: rawTopic,
          acks: -1,
          messages: [{ key: `bs_${i}`, value: JSON.stringify(appendRequest(i, runId)) }],
        }),
      EXTERNAL_ITERATIONS,
      EXTERNAL_WARMUP,
    );
    await service.connect(); // creates the topic
    log('Kafka: KafkaEventProducer.send');
    const stats = await measure(
      (i) => service.send([storedEvent(i, runId)]),
      EXTERNAL_ITERATIONS,
      EXTERNAL_WARMUP,
    );
    rows.push({
      name: 'KafkaEventProducer.send',
      substrate: 'kafkajs producer.send',
      service: stats,
      base: raw,
    });
  } catch (err) {
    notes.push(`Kafka section failed: ${err instanceof Error ? err.message : err}`);
  } finally {
    await Promise.allSettled([producer.disconnect(), service.disconnect()]);
    await admin.deleteTopics({ topics: [rawTopic, serviceTopic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

function storedEvent(i: number, runId: string): StoredEvent {
  const request = appendRequest(i, runId);
  return {
    ...request.events[0],
    streamId: request.streamId,
    streamType: request.streamType,
    tenantId: request.tenantId,
    version: 1,
    recordedAt: new Date().toISOString(),
    position: i + 1,
  };
}

// ── 5. Feed ─────────────────────────────────────────────────────────────────────────────────

const FEED_STORE_EVENTS = 100_000;
const FEED_PAGE = 1000;

/**
 * `GET /v0/events?limit=1000` pages, following nextCursor through a store of 100,000 events
 * (one tenant, so every event is in the feed), against `SqliteEventStore.readAll` of the same
 * pages plus their JSON.stringify. The log is written directly (one commit line per event) rather than appended, which
 * would spend minutes in datasync. Sequential: one page at a time, as a consumer reads.
 */
async function benchFeed(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-feed-'));
  const runId = randomUUID().slice(0, 8);
  const pages = FEED_STORE_EVENTS / FEED_PAGE;
  const iterations = Math.max(pages, Math.min(ITERATIONS / 10, 5 * pages));
  const warmup = Math.min(WARMUP / 10, pages);
  let service: INestApplication | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    log(`Feed: writing a log of ${FEED_STORE_EVENTS} events`);
    const lines: string[] = [];
    for (let i = 0; i < FEED_STORE_EVENTS; i++) {
      const event = storedEvent(i, runId);
      const { streamId, streamType, tenantId } = event;
      lines.push(
        JSON.stringify({ commitId: randomUUID(), streamId, streamType, tenantId, events: [event] }),
      );
    }
    await writeFile(join(dataDir, EVENT_LOG_FILE), `${lines.join('\n')}\n`);

    // Opening imports the log into billing.sqlite (the first-start migration).
    log(`Feed substrate: SqliteEventStore.readAll pages of ${FEED_PAGE}`);
    const embedded = await EmbeddedDatabase.open(dataDir);
    const store = new SqliteEventStore(embedded.db);
    let rawStats: Stats;
    try {
      rawStats = await measure(
        async (i) => {
          const events = await store.readAll({ after: (i % pages) * FEED_PAGE, limit: FEED_PAGE });
          if (events.length !== FEED_PAGE) throw new Error(`readAll gave ${events.length} events`);
          // The store hands out its frozen events by reference: serialising them is the least
          // any reader must do, so the substrate is "read + JSON" of the same page.
          return JSON.stringify(events);
        },
        iterations,
        warmup,
      );
    } finally {
      await store.close();
      await embedded.close();
    }

    ({ app: service } = await createApp(
      loadConfig({
        DATA_DIR: dataDir,
        API_KEYS: 'bench_key=bench_tenant',
        BILLING_PERIOD_UPDATE_INTERVAL: '0',
        LOG_LEVEL: 'silent',
        RATE_LIMIT_PER_MINUTE: String(Number.MAX_SAFE_INTEGER),
      }),
    ));
    const url = await listen(service);
    const headers = { Authorization: 'Bearer bench_key' };
    let cursor: string | undefined;
    log(`Feed: GET /v0/events?limit=${FEED_PAGE} following nextCursor`);
    const feedStats = await measure(
      async () => {
        const after = cursor === undefined ? '' : `&after=${cursor}`;
        const page = JSON.parse(
          await request(agent, `${url}/v0/events?limit=${FEED_PAGE}${after}`, 200, { headers }),
        ) as { data: unknown[]; nextCursor: string; hasMore: boolean };
        if (page.data.length !== FEED_PAGE) throw new Error(`feed gave ${page.data.length} events`);
        cursor = page.hasMore ? page.nextCursor : undefined;
      },
      iterations,
      warmup,
    );
    rows.push({
      name: `GET /v0/events pages of ${FEED_PAGE} (${FEED_STORE_EVENTS} events)`,
      substrate: `SqliteEventStore.readAll ${FEED_PAGE} + JSON`,
      service: feedStats,
      base: rawStats,
    });
  } finally {
    agent.destroy();
    await service?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ── report ──────────────────────────────────────────────────────────────────────────────────

function printTable(): void {
  const fmt = (n: number | undefined, digits: number) =>
    n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);
  const header = ['name', 'substrate', 'ops/s', 'substrate ops/s', 'ratio', 'p50 ms', 'p99 ms'];
  const body = rows.map((r) => [
    r.name,
    r.substrate,
    fmt(r.service.opsPerSec, 0),
    fmt(r.base.opsPerSec, 0),
    fmt(r.service.opsPerSec / r.base.opsPerSec, 3),
    fmt(r.service.p50, 2),
    fmt(r.service.p99, 2),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ');
  const cpu = cpus()[0]?.model ?? 'unknown';
  console.log('');
  console.log(
    `Node ${process.version} on ${process.platform}/${process.arch}, ${availableParallelism()} CPUs (${cpu})`,
  );
  console.log(
    `iterations ${ITERATIONS} (warm-up ${WARMUP}), external ${EXTERNAL_ITERATIONS} (warm-up ${EXTERNAL_WARMUP}), HTTP concurrency ${CONCURRENCY}`,
  );
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of body) console.log(line(row));
  console.log('');
  console.log(
    'ratio = ops/s ÷ substrate ops/s (same run). p50/p99 are per-operation latencies of the',
  );
  console.log('measured (left-hand) operation; substrate latencies:');
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.substrate) || r.base.p50 === undefined) continue;
    seen.add(r.substrate);
    console.log(`  ${r.substrate}: p50 ${fmt(r.base.p50, 2)} ms, p99 ${fmt(r.base.p99, 2)} ms`);
  }
  for (const note of notes) console.log(`note: ${note}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  await benchHttp();
  await benchStore();
  benchEngine();
  await benchFeed();
  await benchExternal();
  printTable();
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().then(
  () => {
    // Everything is closed; a stray handle (e.g. a driver timer) must not keep the run alive.
    setTimeout(() => process.exit(0), 1000).unref();
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
