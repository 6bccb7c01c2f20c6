import { z } from 'zod';
import {
  AccountLicenseSchema,
  AccountScheduleEditSchema,
  AccountScheduleSchema,
  GrantLicenseSchema,
} from './account-schedules.types';
import { defineEvents, type EventOf } from '../events/event-definitions';
import { instant } from '../schemas/primitives';

export const ACCOUNT_SCHEDULES_STREAM_TYPE = 'account_schedules';

/**
 * `account_schedules-<tenant>-<account_id>` (SPEC §6). The tenant part escapes `%` and `-`
 * (`%25`, `%2D`) so that the first `-` after the prefix always ends it: without that, tenant
 * `a-b` with account `c` and tenant `a` with account `b-c` would share one stream. Tenants
 * without those characters appear verbatim.
 */
export const accountSchedulesStreamId = (tenantId: string, accountId: string) =>
  `${ACCOUNT_SCHEDULES_STREAM_TYPE}-${tenantId.replace(/%/g, '%25').replace(/-/g, '%2D')}-${accountId}`;

/** What a draft holds; part of AccountScheduleEditsStaged. */
export const AccountDraftSchema = z.strictObject({
  edits: z.array(AccountScheduleEditSchema).meta({
    description: 'Every edit staged since the draft began, in order.',
  }),
  schedules: z.array(AccountScheduleSchema).meta({
    description: 'The windows those edits produce, sorted by startDate.',
  }),
});
export type AccountDraft = z.infer<typeof AccountDraftSchema>;

export const AccountScheduleEditsStagedV1 = z
  .strictObject({
    accountId: z.string(),
    discardedPreviousDraft: z.boolean().meta({
      description: '`?discard=true` dropped an existing draft before these edits were applied.',
    }),
    edits: z.array(AccountScheduleEditSchema).meta({ description: 'The edits of this call.' }),
    draft: AccountDraftSchema.meta({
      description: 'The whole resulting draft, so consumers need no earlier state.',
    }),
    stagedAt: instant(),
  })
  .meta({ id: 'AccountScheduleEditsStagedV1', description: 'edit_schedules staged edits.' });
export type AccountScheduleEditsStagedV1 = z.infer<typeof AccountScheduleEditsStagedV1>;

export const AccountScheduleDraftDiscardedV1 = z
  .strictObject({
    accountId: z.string(),
    discardedScheduleIds: z.array(z.string()),
    discardedAt: instant(),
  })
  .meta({ id: 'AccountScheduleDraftDiscardedV1', description: 'discard_schedules.' });
export type AccountScheduleDraftDiscardedV1 = z.infer<typeof AccountScheduleDraftDiscardedV1>;

export const AccountSchedulesFinalizedV1 = z
  .strictObject({
    accountId: z.string(),
    finalizeCount: z.number().int().min(1).meta({
      description: "The account's finalize count after this one (1 for the first).",
    }),
    mergeSchedules: z.boolean(),
    edits: z.array(AccountScheduleEditSchema).meta({
      description: 'The draft edits this finalize applied.',
    }),
    preActions: z.array(GrantLicenseSchema),
    schedules: z.array(AccountScheduleSchema).meta({
      description: 'The whole resulting ACTIVE timeline, sorted by startDate.',
    }),
    removedScheduleIds: z.array(z.string()).meta({
      description: 'ACTIVE windows of before that are gone (replaced, or coalesced into another).',
    }),
    licenses: z.array(AccountLicenseSchema).meta({
      description: 'Every license of the account after the pre-actions, sorted by licenseId.',
    }),
    finalizedAt: instant(),
  })
  .meta({
    id: 'AccountSchedulesFinalizedV1',
    description: 'finalize_schedules: the draft became the ACTIVE timeline.',
  });
export type AccountSchedulesFinalizedV1 = z.infer<typeof AccountSchedulesFinalizedV1>;

/** The current schemaVersion and payload schema of every event type of the stream. */
export const ACCOUNT_SCHEDULES_EVENTS = defineEvents(ACCOUNT_SCHEDULES_STREAM_TYPE, {
  AccountScheduleEditsStaged: { schemaVersion: 1, data: AccountScheduleEditsStagedV1 },
  AccountScheduleDraftDiscarded: { schemaVersion: 1, data: AccountScheduleDraftDiscardedV1 },
  AccountSchedulesFinalized: { schemaVersion: 1, data: AccountSchedulesFinalizedV1 },
});

export type AccountSchedulesEvent = EventOf<typeof ACCOUNT_SCHEDULES_EVENTS.types>;
export type AccountSchedulesEventType = AccountSchedulesEvent['type'];

export const ACCOUNT_SCHEDULES_EVENT_TYPES = ACCOUNT_SCHEDULES_EVENTS.names;

export function accountSchedulesEvent<T extends AccountSchedulesEventType>(
  type: T,
  data: Extract<AccountSchedulesEvent, { type: T }>['data'],
): AccountSchedulesEvent {
  return ACCOUNT_SCHEDULES_EVENTS.event(type, data) as AccountSchedulesEvent;
}
