import { Inject, Injectable } from '@nestjs/common';
import {
  accountSchedulesStreamId,
  emptyAccountSchedules,
  type AccountSchedulesState,
} from '@app/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@app/event-store';
import { ACCOUNT_SCHEDULES_READ_MODEL, type AccountSchedulesReadModel } from '@app/read-models';

/**
 * Reads one account of one tenant. An account without events is simply empty (it may have no
 * schedules yet), so reads never answer 404 for the account itself.
 */
@Injectable()
export class AccountScheduleReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCOUNT_SCHEDULES_READ_MODEL) private readonly readModel: AccountSchedulesReadModel,
  ) {}

  async current(tenantId: string, accountId: string): Promise<AccountSchedulesState> {
    return (
      (await this.readModel.get(tenantId, accountId)) ?? emptyAccountSchedules(tenantId, accountId)
    );
  }

  /** The account's stream, oldest first. */
  async events(tenantId: string, accountId: string): Promise<StoredEvent[]> {
    const events = await this.store.readStream(accountSchedulesStreamId(tenantId, accountId));
    return events.filter((event) => event.tenantId === tenantId);
  }
}
