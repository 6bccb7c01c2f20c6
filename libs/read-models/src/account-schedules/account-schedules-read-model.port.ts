import type { AccountSchedulesState } from '@app/domain';
import type { StoredEvent } from '@app/event-store';

/**
 * The account-schedules read model: one document per (tenant, account) holding the ACTIVE
 * timeline, the draft and the licenses (the folded state). Applying is idempotent, guarded by
 * the stream version, so replays and redeliveries never double-apply.
 */
export interface AccountSchedulesReadModel {
  apply(events: readonly StoredEvent[]): Promise<void>;
  /** Null for an account without events, and for another tenant's account. */
  get(tenantId: string, accountId: string): Promise<AccountSchedulesState | null>;
  /** The highest event position applied, to resume from. */
  checkpoint(): Promise<number>;
}

export const ACCOUNT_SCHEDULES_READ_MODEL = Symbol('ACCOUNT_SCHEDULES_READ_MODEL');
