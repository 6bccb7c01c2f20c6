import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import {
  EVENT_STORE,
  FileEventStore,
  FileIdempotencyStore,
  IDEMPOTENCY_STORE,
  InMemoryLeaseStore,
  LEASE_STORE,
  type EventStore,
  type IdempotencyStore,
} from '@app/event-store';
import { EVENT_PUBLISHER, InProcessEventBus } from '@app/messaging';
import {
  BILLING_SCHEDULE_READ_MODEL,
  InMemoryBillingScheduleReadModel,
  type BillingScheduleReadModel,
} from '@app/read-models';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Clock, SystemClock } from './clock';

const REBUILD_BATCH = 5_000;

/**
 * The embedded default: an append-only event log and idempotency log under DATA_DIR, read
 * models in memory rebuilt from the log at start, and an in-process bus for publishing.
 */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        FileEventStore.open(config.dataDir, { logger: (m) => new Logger('EventStore').warn(m) }),
    },
    {
      provide: IDEMPOTENCY_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => FileIdempotencyStore.open(config.dataDir),
    },
    { provide: BILLING_SCHEDULE_READ_MODEL, useClass: InMemoryBillingScheduleReadModel },
    { provide: EVENT_PUBLISHER, useClass: InProcessEventBus },
    // DATA_DIR is locked to one process, so the embedded lease only arbitrates in-process runners.
    { provide: LEASE_STORE, useFactory: () => new InMemoryLeaseStore() },
  ],
  exports: [
    Clock,
    EVENT_STORE,
    IDEMPOTENCY_STORE,
    BILLING_SCHEDULE_READ_MODEL,
    EVENT_PUBLISHER,
    LEASE_STORE,
  ],
})
export class PersistenceModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('PersistenceModule');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(BILLING_SCHEDULE_READ_MODEL) private readonly readModel: BillingScheduleReadModel,
  ) {}

  /** Read models are projections: rebuild them from the store before serving. */
  async onModuleInit(): Promise<void> {
    let after = await this.readModel.checkpoint();
    let count = 0;
    for (;;) {
      const batch = await this.store.readAll({ after, limit: REBUILD_BATCH });
      if (batch.length === 0) break;
      await this.readModel.apply(batch);
      after = batch[batch.length - 1].position;
      count += batch.length;
    }
    this.logger.log(`read models rebuilt from ${count} events`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.idempotency.close();
  }
}
