import {
  emptyAccountSchedules,
  evolveAccountSchedules,
  type AccountSchedulesEvent,
  type AccountSchedulesState,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';

/**
 * The account-schedules read model: one document per (tenant, account) holding the ACTIVE
 * timeline, the draft and the licenses (the folded state). Applying is idempotent, guarded by
 * the stream version, so replays and redeliveries never double-apply.
 */
export interface AccountSchedulesReadModel {
  /**
   * `folded`, when given, is the stream's state after `events` (all of one stream), as the
   * command runner folded it: an adapter may store it rather than fold the events again.
   */
  apply(events: readonly StoredEvent[], folded?: AccountSchedulesState): Promise<void>;
  /** Null for an account without events, and for another tenant's account. */
  get(tenantId: string, accountId: string): Promise<AccountSchedulesState | null>;
  /** The highest event position applied, to resume from. */
  checkpoint(): Promise<number>;
}

export const ACCOUNT_SCHEDULES_READ_MODEL = Symbol('ACCOUNT_SCHEDULES_READ_MODEL');

/** The account state after one stored event of its stream (the first starts from empty). */
export function foldAccountEvent(
  current: AccountSchedulesState | null,
  event: StoredEvent,
): AccountSchedulesState {
  return evolveAccountSchedules(
    current ??
      emptyAccountSchedules(event.tenantId, (event.data as { accountId: string }).accountId),
    event as unknown as AccountSchedulesEvent,
    event.version,
  );
}
