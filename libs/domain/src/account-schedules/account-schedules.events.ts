import type {
  AccountLicense,
  AccountSchedule,
  AccountScheduleEdit,
  GrantLicense,
} from './account-schedules.types';

export const ACCOUNT_SCHEDULES_STREAM_TYPE = 'account_schedules';

/**
 * `account_schedules-<tenant>-<account_id>` (SPEC §6). The tenant part escapes `%` and `-`
 * (`%25`, `%2D`) so that the first `-` after the prefix always ends it: without that, tenant
 * `a-b` with account `c` and tenant `a` with account `b-c` would share one stream. Tenants
 * without those characters appear verbatim.
 */
export const accountSchedulesStreamId = (tenantId: string, accountId: string) =>
  `${ACCOUNT_SCHEDULES_STREAM_TYPE}-${tenantId.replace(/%/g, '%25').replace(/-/g, '%2D')}-${accountId}`;

export interface AccountDraft {
  /** Every edit staged since the draft began, in order. */
  edits: AccountScheduleEdit[];
  /** The windows those edits produce, sorted by startDate. */
  schedules: AccountSchedule[];
}

export interface AccountScheduleEditsStagedV1 {
  accountId: string;
  /** `?discard=true` dropped an existing draft before these edits were applied. */
  discardedPreviousDraft: boolean;
  /** The edits of this call. */
  edits: AccountScheduleEdit[];
  /** The whole resulting draft, so consumers need no earlier state. */
  draft: AccountDraft;
  stagedAt: string;
}

export interface AccountScheduleDraftDiscardedV1 {
  accountId: string;
  discardedScheduleIds: string[];
  discardedAt: string;
}

export interface AccountSchedulesFinalizedV1 {
  accountId: string;
  /** The account's finalize count after this one (1 for the first). */
  finalizeCount: number;
  mergeSchedules: boolean;
  /** The draft edits this finalize applied. */
  edits: AccountScheduleEdit[];
  preActions: GrantLicense[];
  /** The whole resulting ACTIVE timeline, sorted by startDate. */
  schedules: AccountSchedule[];
  /** ACTIVE windows of before that are gone (replaced, or coalesced into another). */
  removedScheduleIds: string[];
  /** Every license of the account after the pre-actions, sorted by licenseId. */
  licenses: AccountLicense[];
  finalizedAt: string;
}

interface Event<T extends string, D> {
  type: T;
  schemaVersion: 1;
  data: D;
}

export type AccountSchedulesEvent =
  | Event<'AccountScheduleEditsStaged', AccountScheduleEditsStagedV1>
  | Event<'AccountScheduleDraftDiscarded', AccountScheduleDraftDiscardedV1>
  | Event<'AccountSchedulesFinalized', AccountSchedulesFinalizedV1>;

export type AccountSchedulesEventType = AccountSchedulesEvent['type'];

export const ACCOUNT_SCHEDULES_EVENT_TYPES: readonly AccountSchedulesEventType[] = [
  'AccountScheduleEditsStaged',
  'AccountScheduleDraftDiscarded',
  'AccountSchedulesFinalized',
];

export function accountSchedulesEvent<T extends AccountSchedulesEventType>(
  type: T,
  data: Extract<AccountSchedulesEvent, { type: T }>['data'],
): AccountSchedulesEvent {
  return { type, schemaVersion: 1, data } as AccountSchedulesEvent;
}
