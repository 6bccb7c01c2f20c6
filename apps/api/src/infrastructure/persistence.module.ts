import {
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
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
  ACCOUNT_SCHEDULES_READ_MODEL,
  BILLING_SCHEDULE_READ_MODEL,
  InMemoryAccountSchedulesReadModel,
  InMemoryBillingScheduleReadModel,
  type AccountSchedulesReadModel,
  type BillingScheduleReadModel,
} from '@app/read-models';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Clock, SystemClock } from './clock';
import { EventSourcedCommandRunner } from './event-sourced-command-runner';

const REBUILD_BATCH = 5_000;

/**
 * The embedded default: an append-only event log and idempotency log under DATA_DIR, read
 * models in memory rebuilt from the log at start, and an in-process bus for publishing.
 */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    EventSourcedCommandRunner,
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
    { provide: ACCOUNT_SCHEDULES_READ_MODEL, useClass: InMemoryAccountSchedulesReadModel },
    { provide: EVENT_PUBLISHER, useClass: InProcessEventBus },
    // DATA_DIR is locked to one process, so the embedded lease only arbitrates in-process runners.
    { provide: LEASE_STORE, useFactory: () => new InMemoryLeaseStore() },
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
  ],
})
export class PersistenceModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('PersistenceModule');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(BILLING_SCHEDULE_READ_MODEL) private readonly readModel: BillingScheduleReadModel,
    @Inject(ACCOUNT_SCHEDULES_READ_MODEL)
    private readonly accountReadModel: AccountSchedulesReadModel,
  ) {}

  /** Read models are projections: rebuild them from the store before serving. */
  async onModuleInit(): Promise<void> {
    let count = 0;
    // Each read model resumes from its own checkpoint.
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
    this.logger.log(`read models rebuilt from ${count} events`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.idempotency.close();
  }
}
