import {
  ACCOUNT_SCHEDULES_STREAM_TYPE,
  accountSchedulesStreamId,
  emptyAccountSchedules,
  evolveAccountSchedules,
  type AccountSchedulesEvent,
  type AccountSchedulesState,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { continuesStream } from '../folded-state';
import { ProjectionGapError } from '../projection-gap-error';
import type { AccountSchedulesReadModel } from './account-schedules-read-model.port';

/** The embedded read model: the folded state of every account, kept in memory by stream id. */
export class InMemoryAccountSchedulesReadModel implements AccountSchedulesReadModel {
  private readonly accounts = new Map<string, AccountSchedulesState>();
  private position = 0;

  async apply(events: readonly StoredEvent[], folded?: AccountSchedulesState): Promise<void> {
    if (folded) {
      const streamId = accountSchedulesStreamId(folded.tenantId, folded.accountId);
      const stored = this.accounts.get(streamId)?.version ?? 0;
      if (continuesStream(events, streamId, stored, folded.version)) {
        this.accounts.set(streamId, folded);
        for (const event of events) this.position = Math.max(this.position, event.position);
        return;
      }
    }
    for (const event of events) {
      if (event.streamType === ACCOUNT_SCHEDULES_STREAM_TYPE) this.applyOne(event);
      this.position = Math.max(this.position, event.position);
    }
  }

  /** Guarded by the stream version: redeliveries change nothing, a gap throws (nothing applied). */
  private applyOne(event: StoredEvent): void {
    const accountId = (event.data as { accountId: string }).accountId;
    const current =
      this.accounts.get(event.streamId) ?? emptyAccountSchedules(event.tenantId, accountId);
    if (event.version <= current.version) return;
    if (event.version > current.version + 1) {
      throw new ProjectionGapError(event.streamId, current.version + 1, event.version);
    }
    this.accounts.set(
      event.streamId,
      evolveAccountSchedules(current, event as unknown as AccountSchedulesEvent, event.version),
    );
  }

  async get(tenantId: string, accountId: string): Promise<AccountSchedulesState | null> {
    const state = this.accounts.get(accountSchedulesStreamId(tenantId, accountId));
    return state && state.tenantId === tenantId && state.accountId === accountId ? state : null;
  }

  async checkpoint(): Promise<number> {
    return this.position;
  }
}
