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
  EmbeddedDatabase,
  EVENT_STORE,
  IDEMPOTENCY_STORE,
  LEASE_STORE,
  MongoEventStore,
  MongoIdempotencyStore,
  MongoLeaseStore,
  SQLITE_DATABASE,
  SqliteEventStore,
  SqliteIdempotencyStore,
  SqliteLeaseStore,
  UpcastingEventStore,
  type EventStore,
  type IdempotencyStore,
  type LeaseStore,
  type SqliteDatabase,
} from '@app/event-store';
import {
  EVENT_PUBLISHER,
  InProcessEventBus,
  KafkaEventProducer,
  MongoCheckpointStore,
  OutboxRelay,
  SqliteCheckpointStore,
  type EventPublisher,
} from '@app/messaging';
import {
  ACCOUNT_SCHEDULES_READ_MODEL,
  BILLING_PERIODS_READ_MODEL,
  BILLING_SCHEDULE_READ_MODEL,
  SqliteBillingPeriodsReadModel,
  MongoAccountSchedulesReadModel,
  MongoBillingPeriodsReadModel,
  MongoBillingScheduleReadModel,
  SqliteAccountSchedulesReadModel,
  SqliteBillingScheduleReadModel,
  type AccountSchedulesReadModel,
  type BillingPeriodsReadModel,
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
/** The embedded database with the service's DATA_DIR lock; null with MONGODB_URI. */
export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

const REBUILD_BATCH = 5_000;

/**
 * The backends, chosen by configuration (SPEC §7):
 * - MONGODB_URI unset: the embedded default — one SQLite database `DATA_DIR/billing.sqlite`
 *   (SQLITE_DATABASE, opened once under the DATA_DIR lock, closed last) holding the events,
 *   idempotency records, leases and the relay's checkpoint; a pre-SQLite DATA_DIR is imported
 *   on first start. The read models are tables of the same file; a start catches them up from
 *   their checkpoint (nothing is replayed that they already hold).
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
      provide: EMBEDDED_DATABASE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.mongodbUri
          ? null
          : EmbeddedDatabase.open(config.dataDir, (message) =>
              new Logger('EmbeddedStore').warn(message),
            ),
    },
    {
      provide: SQLITE_DATABASE,
      inject: [EMBEDDED_DATABASE],
      useFactory: (embedded: EmbeddedDatabase | null) => embedded?.db ?? null,
    },
    {
      provide: EVENT_STORE,
      inject: [MONGO_DB, EMBEDDED_DATABASE],
      // Every read goes through the upcasters: readers only ever see current payloads.
      useFactory: async (db: Db | null, embedded: EmbeddedDatabase | null) =>
        new UpcastingEventStore(
          db
            ? await MongoEventStore.open(db)
            : new SqliteEventStore(embedded!.db, { assertWritable: () => embedded!.assertHeld() }),
          upcastEvent,
        ),
    },
    {
      provide: IDEMPOTENCY_STORE,
      inject: [MONGO_DB, SQLITE_DATABASE],
      useFactory: (db: Db | null, sqlite: SqliteDatabase | null) =>
        db ? MongoIdempotencyStore.open(db) : new SqliteIdempotencyStore(sqlite!),
    },
    {
      provide: LEASE_STORE,
      inject: [MONGO_DB, SQLITE_DATABASE],
      useFactory: (db: Db | null, sqlite: SqliteDatabase | null) =>
        db ? MongoLeaseStore.open(db) : new SqliteLeaseStore(sqlite!),
    },
    {
      provide: BILLING_SCHEDULE_READ_MODEL,
      inject: [MONGO_DB, SQLITE_DATABASE],
      useFactory: (db: Db | null, sqlite: SqliteDatabase | null) =>
        db ? MongoBillingScheduleReadModel.open(db) : new SqliteBillingScheduleReadModel(sqlite!),
    },
    {
      provide: BILLING_PERIODS_READ_MODEL,
      inject: [MONGO_DB, SQLITE_DATABASE],
      useFactory: (db: Db | null, sqlite: SqliteDatabase | null) =>
        db ? MongoBillingPeriodsReadModel.open(db) : new SqliteBillingPeriodsReadModel(sqlite!),
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
        EVENT_STORE,
        LEASE_STORE,
        MONGO_DB,
        SQLITE_DATABASE,
        KAFKA_PRODUCER,
        getToken(RELAY_LAG_EVENTS),
        getToken(RELAY_LAG_SECONDS),
      ],
      useFactory: (
        store: EventStore,
        leases: LeaseStore,
        db: Db | null,
        sqlite: SqliteDatabase | null,
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
          checkpoints: db ? new MongoCheckpointStore(db) : new SqliteCheckpointStore(sqlite!),
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
    SQLITE_DATABASE,
    BILLING_SCHEDULE_READ_MODEL,
    BILLING_PERIODS_READ_MODEL,
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
    @Inject(BILLING_PERIODS_READ_MODEL) private readonly periodsReadModel: BillingPeriodsReadModel,
    @Inject(ACCOUNT_SCHEDULES_READ_MODEL)
    private readonly accountReadModel: AccountSchedulesReadModel,
    @Optional() @Inject(OUTBOX_RELAY) private readonly relay: OutboxRelay | null,
    @Optional() @Inject(KAFKA_PRODUCER) private readonly producer: KafkaEventProducer | null,
    @Optional() @Inject(MONGO_CLIENT) private readonly mongo: MongoClient | null,
    @Optional() @Inject(EMBEDDED_DATABASE) private readonly embedded: EmbeddedDatabase | null,
  ) {}

  /**
   * Read models are projections: bring each up to date from its checkpoint before serving, in
   * one pass over the history from the lowest checkpoint, each model given the events past its own.
   */
  async onModuleInit(): Promise<void> {
    const readModels = [this.readModel, this.periodsReadModel, this.accountReadModel];
    const checkpoints = await Promise.all(readModels.map((model) => model.checkpoint()));
    let after = Math.min(...checkpoints);
    let count = 0;
    for (;;) {
      const batch = await this.store.readAll({ after, limit: REBUILD_BATCH });
      if (batch.length === 0) break;
      for (const [i, readModel] of readModels.entries()) {
        const unseen = batch.filter((event) => event.position > checkpoints[i]);
        if (unseen.length > 0) await readModel.apply(unseen);
      }
      after = batch[batch.length - 1].position;
      count += batch.length;
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
      () => this.mongo?.close(),
      // Last: everything above may still write to it while it stops.
      () => this.embedded?.close(),
    ];
    const failures: unknown[] = [];
    for (const step of steps) await Promise.resolve(step()).catch((e) => failures.push(e));
    if (failures.length > 0) throw failures[0];
  }
}
