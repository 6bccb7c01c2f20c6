import {
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { getToken } from '@willsoto/nestjs-prometheus';
import { upcastEvent } from '@app/domain';
import { MongoClient, type Db } from 'mongodb';
import type { Gauge } from 'prom-client';
import {
  EVENT_STORE,
  FileEventStore,
  FileIdempotencyStore,
  IDEMPOTENCY_STORE,
  InMemoryLeaseStore,
  LEASE_STORE,
  MongoEventStore,
  MongoIdempotencyStore,
  MongoLeaseStore,
  SQLITE_DATABASE,
  UpcastingEventStore,
  openSqliteDatabase,
  type EventStore,
  type IdempotencyStore,
  type LeaseStore,
  type SqliteDatabase,
} from '@app/event-store';
import {
  EVENT_PUBLISHER,
  FileCheckpointStore,
  InProcessEventBus,
  KafkaEventProducer,
  MongoCheckpointStore,
  OutboxRelay,
  type EventPublisher,
} from '@app/messaging';
import {
  ACCOUNT_SCHEDULES_READ_MODEL,
  BILLING_SCHEDULE_READ_MODEL,
  MongoAccountSchedulesReadModel,
  MongoBillingScheduleReadModel,
  SqliteAccountSchedulesReadModel,
  SqliteBillingScheduleReadModel,
  type AccountSchedulesReadModel,
  type BillingScheduleReadModel,
} from '@app/read-models';
import { RELAY_LAG_EVENTS, RELAY_LAG_SECONDS } from '../common/metrics/app-metrics';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Clock, SystemClock } from './clock';
import { EventSourcedCommandRunner } from './event-sourced-command-runner';

export const MONGO_CLIENT = Symbol('MONGO_CLIENT');
export const MONGO_DB = Symbol('MONGO_DB');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
export const OUTBOX_RELAY = Symbol('OUTBOX_RELAY');

const REBUILD_BATCH = 5_000;

/**
 * The backends, chosen by configuration (SPEC §7):
 * - MONGODB_URI unset: the embedded default — an append-only log and idempotency log under
 *   DATA_DIR, read models in the SQLite file under DATA_DIR (they resume from their checkpoint,
 *   so a start replays only what they missed), in-process leases.
 * - MONGODB_URI set: the MongoDB event store (one commit document per append), idempotency
 *   records, leases and read models in MongoDB; read models catch up from their checkpoint.
 * - KAFKA_BROKERS set: the outbox relay publishes the committed events to KAFKA_TOPIC; a
 *   command only nudges it. Unset: an in-process bus.
 */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    EventSourcedCommandRunner,
    {
      provide: MONGO_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.mongodbUri
          ? MongoClient.connect(config.mongodbUri, { serverSelectionTimeoutMS: 5_000 })
          : null,
    },
    {
      provide: MONGO_DB,
      inject: [APP_CONFIG, MONGO_CLIENT],
      useFactory: (config: AppConfig, client: MongoClient | null) =>
        client?.db(config.mongodbDb) ?? null,
    },
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG, MONGO_DB],
      // Every read goes through the upcasters: readers only ever see current payloads.
      useFactory: async (config: AppConfig, db: Db | null) =>
        new UpcastingEventStore(
          db
            ? await MongoEventStore.open(db)
            : await FileEventStore.open(config.dataDir, {
                logger: (message) => new Logger('EventStore').warn(message),
              }),
          upcastEvent,
        ),
    },
    {
      provide: IDEMPOTENCY_STORE,
      inject: [APP_CONFIG, MONGO_DB],
      useFactory: (config: AppConfig, db: Db | null) =>
        db ? MongoIdempotencyStore.open(db) : FileIdempotencyStore.open(config.dataDir),
    },
    {
      provide: LEASE_STORE,
      inject: [MONGO_DB],
      // Embedded: DATA_DIR is locked to one process, so leases only arbitrate in-process.
      useFactory: (db: Db | null) => (db ? MongoLeaseStore.open(db) : new InMemoryLeaseStore()),
    },
    {
      provide: SQLITE_DATABASE,
      // After the event store: it holds DATA_DIR's lock, so a second process fails before this.
      inject: [APP_CONFIG, MONGO_DB, EVENT_STORE],
      useFactory: (config: AppConfig, db: Db | null) =>
        db ? null : openSqliteDatabase(config.dataDir),
    },
    {
      provide: BILLING_SCHEDULE_READ_MODEL,
      inject: [MONGO_DB, SQLITE_DATABASE],
      useFactory: (db: Db | null, sqlite: SqliteDatabase | null) =>
        db ? MongoBillingScheduleReadModel.open(db) : new SqliteBillingScheduleReadModel(sqlite!),
    },
    {
      provide: ACCOUNT_SCHEDULES_READ_MODEL,
      inject: [MONGO_DB, SQLITE_DATABASE],
      useFactory: (db: Db | null, sqlite: SqliteDatabase | null) =>
        db ? MongoAccountSchedulesReadModel.open(db) : new SqliteAccountSchedulesReadModel(sqlite!),
    },
    {
      provide: KAFKA_PRODUCER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.kafkaBrokers
          ? new KafkaEventProducer({
              brokers: config.kafkaBrokers,
              topic: config.kafkaTopic,
              topicSettings: config.kafkaTopicSettings,
              logger: new Logger('KafkaTopic'),
            })
          : null,
    },
    {
      provide: OUTBOX_RELAY,
      inject: [
        APP_CONFIG,
        EVENT_STORE,
        LEASE_STORE,
        MONGO_DB,
        KAFKA_PRODUCER,
        getToken(RELAY_LAG_EVENTS),
        getToken(RELAY_LAG_SECONDS),
      ],
      useFactory: (
        config: AppConfig,
        store: EventStore,
        leases: LeaseStore,
        db: Db | null,
        producer: KafkaEventProducer | null,
        lagEvents: Gauge,
        lagSeconds: Gauge,
      ) => {
        if (!producer) return null;
        const logger = new Logger('OutboxRelay');
        return new OutboxRelay({
          store,
          leases,
          sink: producer,
          checkpoints: db ? new MongoCheckpointStore(db) : new FileCheckpointStore(config.dataDir),
          log: (message) => logger.warn(message),
          onLag: (lag) => {
            lagEvents.set(lag.events);
            lagSeconds.set(lag.seconds);
          },
        });
      },
    },
    {
      provide: EVENT_PUBLISHER,
      inject: [OUTBOX_RELAY],
      useFactory: (relay: OutboxRelay | null): EventPublisher =>
        relay ? { publish: async () => relay.nudge() } : new InProcessEventBus(),
    },
  ],
  exports: [
    Clock,
    EventSourcedCommandRunner,
    EVENT_STORE,
    IDEMPOTENCY_STORE,
    BILLING_SCHEDULE_READ_MODEL,
    ACCOUNT_SCHEDULES_READ_MODEL,
    EVENT_PUBLISHER,
    LEASE_STORE,
    KAFKA_PRODUCER,
    OUTBOX_RELAY,
  ],
})
export class PersistenceModule
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('PersistenceModule');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(BILLING_SCHEDULE_READ_MODEL) private readonly readModel: BillingScheduleReadModel,
    @Inject(ACCOUNT_SCHEDULES_READ_MODEL)
    private readonly accountReadModel: AccountSchedulesReadModel,
    @Optional() @Inject(OUTBOX_RELAY) private readonly relay: OutboxRelay | null,
    @Optional() @Inject(KAFKA_PRODUCER) private readonly producer: KafkaEventProducer | null,
    @Optional() @Inject(MONGO_CLIENT) private readonly mongo: MongoClient | null,
    @Optional() @Inject(SQLITE_DATABASE) private readonly sqlite: SqliteDatabase | null,
  ) {}

  /** Read models are projections: bring each up to date from its checkpoint before serving. */
  async onModuleInit(): Promise<void> {
    let count = 0;
    for (const readModel of [this.readModel, this.accountReadModel]) {
      let after = await readModel.checkpoint();
      let applied = 0;
      for (;;) {
        const batch = await this.store.readAll({ after, limit: REBUILD_BATCH });
        if (batch.length === 0) break;
        await readModel.apply(batch);
        after = batch[batch.length - 1].position;
        applied += batch.length;
      }
      count = Math.max(count, applied);
    }
    this.logger.log(`read models caught up with ${count} events`);
  }

  onApplicationBootstrap(): void {
    // Check the topic now, not at the first publish, so a topic that loses history is reported
    // at start; a broker that is down does not hold the start up (the relay retries).
    this.producer?.connect().catch(() => undefined);
    this.relay?.start();
  }

  /** Releases every resource in order, even when an earlier step fails (e.g. MongoDB is gone). */
  async onApplicationShutdown(): Promise<void> {
    const steps = [
      () => this.relay?.stop(),
      () => this.producer?.disconnect(),
      () => this.store.close(),
      () => this.idempotency.close(),
      () => this.sqlite?.close(),
      () => this.mongo?.close(),
    ];
    const failures: unknown[] = [];
    for (const step of steps) await Promise.resolve(step()).catch((e) => failures.push(e));
    if (failures.length > 0) throw failures[0];
  }
}
