import { Inject, Injectable } from '@nestjs/common';
import {
  accountSchedulesStreamId,
  emptyAccountSchedules,
  type AccountSchedulesState,
} from '@app/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@app/event-store';
import {
  ACCOUNT_SCHEDULES_READ_MODEL,
  InMemoryAccountSchedulesReadModel,
  type AccountSchedulesReadModel,
} from '@app/read-models';
import { applyInTurns, occurredBy, TimeTravel } from '../common/history/as-of';

/**
 * Reads one account of one tenant, live or as of an instant. An account without events is
 * simply empty (it may have no schedules yet), so reads never answer 404 for the account
 * itself. As of a past instant the answer comes from a transient in-memory read model that
 * applies the account's events that had occurred by then: the same projection and the same
 * queries as the live read.
 */
@Injectable()
export class AccountScheduleReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCOUNT_SCHEDULES_READ_MODEL) private readonly readModel: AccountSchedulesReadModel,
    private readonly timeTravel: TimeTravel,
  ) {}

  async account(
    tenantId: string,
    accountId: string,
    asOf?: string,
  ): Promise<AccountSchedulesState> {
    const past = this.timeTravel.pastInstant(asOf);
    let model = this.readModel;
    if (past !== undefined) {
      model = new InMemoryAccountSchedulesReadModel();
      await applyInTurns(model, await this.events(tenantId, accountId, past));
    }
    return (await model.get(tenantId, accountId)) ?? emptyAccountSchedules(tenantId, accountId);
  }

  /** The account's stream, oldest first; up to `asOf` when given. */
  async events(tenantId: string, accountId: string, asOf?: string): Promise<StoredEvent[]> {
    const stream = await this.store.readStream(accountSchedulesStreamId(tenantId, accountId));
    const owned = stream.filter((event) => event.tenantId === tenantId);
    const past = this.timeTravel.pastInstant(asOf);
    return past === undefined ? owned : occurredBy(owned, past);
  }
}
