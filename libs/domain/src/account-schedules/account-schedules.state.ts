import type { AccountDraft } from './account-schedules.events';
import type { AccountLicense, AccountSchedule } from './account-schedules.types';

/** The aggregate's state, folded from the account's stream (version 0 before it exists). */
export interface AccountSchedulesState {
  accountId: string;
  tenantId: string;
  draft: AccountDraft | null;
  /** The ACTIVE timeline, sorted by startDate. */
  active: AccountSchedule[];
  licenses: Record<string, AccountLicense>;
  finalizeCount: number;
  /** Stream version of the last folded event. */
  version: number;
}

export function emptyAccountSchedules(tenantId: string, accountId: string): AccountSchedulesState {
  return {
    accountId,
    tenantId,
    draft: null,
    active: [],
    licenses: {},
    finalizeCount: 0,
    version: 0,
  };
}
