import { Inject, Injectable, Logger } from '@nestjs/common';
import { upcastEvent } from '@app/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@app/event-store';
import type { EventEnvelope } from '@app/messaging';
import {
  ACCOUNT_SCHEDULES_READ_MODEL,
  BILLING_PERIODS_READ_MODEL,
  BILLING_SCHEDULE_READ_MODEL,
  ProjectionGapError,
  type AccountSchedulesReadModel,
  type BillingPeriodsReadModel,
  type BillingScheduleReadModel,
} from '@app/read-models';

/**
 * Applies one event from the topic to every read model. Applying is idempotent (guarded by
 * the stream version), so redeliveries and duplicates are no-ops. An event that arrives past a
 * gap (an earlier one not yet seen) is preceded by the missing events, read from the store.
 */
@Injectable()
export class ProjectionService {
  private readonly logger = new Logger('ProjectionService');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BILLING_SCHEDULE_READ_MODEL) private readonly schedules: BillingScheduleReadModel,
    @Inject(BILLING_PERIODS_READ_MODEL) private readonly periods: BillingPeriodsReadModel,
    @Inject(ACCOUNT_SCHEDULES_READ_MODEL) private readonly accounts: AccountSchedulesReadModel,
  ) {}

  async project(envelope: EventEnvelope): Promise<void> {
    // Positions are the store's commit order and do not travel on the topic. A message
    // published before a payload's last schema change is brought to the current shape.
    const event: StoredEvent = upcastEvent({ ...envelope, position: 0 });
    try {
      await this.applyAll([event]);
    } catch (error) {
      if (!(error instanceof ProjectionGapError)) throw error;
      this.logger.warn(`${error.message}: filling from the store`);
      const missing = await this.store.readStream(event.streamId, {
        fromVersion: error.expectedVersion,
        toVersion: event.version,
      });
      await this.applyAll(missing);
    }
  }

  private async applyAll(events: StoredEvent[]): Promise<void> {
    await this.schedules.apply(events);
    await this.periods.apply(events);
    await this.accounts.apply(events);
  }
}
