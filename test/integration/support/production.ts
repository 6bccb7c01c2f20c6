import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';
import request from 'supertest';
import { createApp, type CreateAppOptions } from '../../../apps/api/src/bootstrap';
import { loadConfig } from '../../../apps/api/src/config/app-config';
import { freePorts } from '../../support/service-process';
import { TENANT_A, TENANT_B } from '../../support/test-app';
import { KAFKA_BROKERS, MONGODB_URI } from './infra';

export const ROOT = join(__dirname, '..', '..', '..');
export const API_KEYS = `${TENANT_A.key}=${TENANT_A.tenant},${TENANT_B.key}=${TENANT_B.tenant}`;
process.env.LOG_LEVEL = 'silent';

/** The API in production mode: MongoDB store and read models, Kafka via the outbox relay. */
export async function startProductionApp(
  db: string,
  topic: string,
  env: NodeJS.ProcessEnv = {},
  options: CreateAppOptions = {},
) {
  const config = loadConfig({
    MONGODB_URI,
    MONGODB_DB: db,
    KAFKA_BROKERS: KAFKA_BROKERS.join(','),
    KAFKA_TOPIC: topic,
    API_KEYS,
    BILLING_PERIOD_UPDATE_INTERVAL: '0',
    LOG_LEVEL: process.env.LOG_LEVEL,
    ...env,
  });
  const { app } = await createApp(config, options);
  await app.init();
  // Fastify registers the routes Nest declared at init; supertest needs them ready.
  await app.getHttpAdapter().getInstance().ready();
  const server = app.getHttpServer();
  return {
    app,
    http: () => request(server),
    auth: (key = TENANT_A.key) => ({ Authorization: `Bearer ${key}` }),
    close: () => app.close(),
  };
}

export interface ReceivedMessage {
  key: string;
  partition: number;
  offset: string;
  headers: Record<string, string>;
  envelope: {
    id: string;
    type: string;
    streamId: string;
    version: number;
    tenantId: string;
    data: Record<string, unknown>;
    metadata: Record<string, string>;
  } & Record<string, unknown>;
}

/** A consumer of its own group reading the topic from the beginning into `messages`. */
export async function collectTopic(topic: string, brokers = KAFKA_BROKERS) {
  const kafka = new Kafka({
    clientId: 'test-collector',
    brokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer: Consumer = kafka.consumer({ groupId: `collector-${topic}-${Date.now()}` });
  const messages: ReceivedMessage[] = [];
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      messages.push({
        key: message.key?.toString() ?? '',
        partition,
        offset: message.offset,
        headers: stringHeaders(message.headers),
        envelope: JSON.parse(message.value?.toString() ?? 'null'),
      });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, String(v)]));
}

export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A Kafka broker this suite owns: its own runtime dir (INFRA_DIR) and free ports, started with
 * the infra scripts. A suite that stops a broker must stop its own, never the shared one on 9092
 * (which may belong to another checkout or serve other suites).
 */
export async function startOwnBroker() {
  const dir = await mkdtemp(join(tmpdir(), 'billing-own-kafka-'));
  const [port, controllerPort] = await freePorts(2);
  const env = {
    ...process.env,
    INFRA_DIR: join(dir, '.infra'),
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
  };
  /** Stops or starts only this broker (its data kept), as an outage would. */
  const ctl = (action: 'stop' | 'start') =>
    execFileSync('bash', ['scripts/infra/kafka-ctl.sh', action], { cwd: ROOT, env, stdio: 'pipe' });
  ctl('start');
  return {
    brokers: [`127.0.0.1:${port}`],
    stop: () => ctl('stop'),
    start: () => ctl('start'),
    destroy: async () => {
      ctl('stop');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a TypeScript entry point of this repo as its own process. */
export function spawnTs(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', script],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        LOG_LEVEL: 'silent',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}
