import { FieldError, InvalidOperation, ValidationFailed } from '../domain-error';
import type {
  AccountSchedulesCommand,
  AccountSchedulesDecisionContext,
  EditInput,
  PreActionInput,
} from './account-schedules.commands';
import { accountSchedulesEvent, type AccountSchedulesEvent } from './account-schedules.events';
import type { AccountSchedulesState } from './account-schedules.state';
import type {
  AccountLicense,
  AccountSchedule,
  AccountScheduleEdit,
  GrantLicense,
} from './account-schedules.types';
import { applyEdit, byStartDate, coalesce, sameWindow } from './timeline';
import { parseEdits, parsePreActions } from './validation';

/** Decides which events a command produces against the account's state, or throws a domain error. */
export function decide(
  command: AccountSchedulesCommand,
  state: AccountSchedulesState,
  ctx: AccountSchedulesDecisionContext,
): AccountSchedulesEvent[] {
  switch (command.type) {
    case 'EditAccountSchedules':
      return edit(state, command.edits, command.discard ?? false, ctx);
    case 'FinalizeAccountSchedules':
      return finalize(state, command.mergeSchedules ?? false, command.preActions, ctx);
    case 'DiscardAccountSchedules':
      if (state.draft === null) return [];
      return [
        accountSchedulesEvent('AccountScheduleDraftDiscarded', {
          accountId: state.accountId,
          discardedScheduleIds: state.draft.schedules.map((s) => s.id),
          discardedAt: ctx.now,
        }),
      ];
  }
}

/**
 * Stages edits on the draft. The draft starts empty (not as a copy of ACTIVE); `discard` drops
 * an existing draft first. Every draft window shows the version the next finalize will give it.
 */
function edit(
  state: AccountSchedulesState,
  inputs: EditInput[],
  discard: boolean,
  ctx: AccountSchedulesDecisionContext,
): AccountSchedulesEvent[] {
  const errors: FieldError[] = [];
  const parsed = parseEdits(inputs, errors);
  if (errors.length > 0) throw new ValidationFailed(errors);

  const edits: AccountScheduleEdit[] = parsed.map((e) =>
    e.mode === 'ASSOCIATE' ? { ...e, scheduleId: ctx.newId('sch') } : e,
  );
  const base = discard || state.draft === null ? { edits: [], schedules: [] } : state.draft;
  const version = state.finalizeCount + 1;
  const newId = () => ctx.newId('sch');
  const schedules = edits
    .reduce(
      (timeline, e) => applyEdit(timeline, e, state.accountId, version, newId),
      base.schedules,
    )
    .map((s) => ({ ...s, version }));
  return [
    accountSchedulesEvent('AccountScheduleEditsStaged', {
      accountId: state.accountId,
      discardedPreviousDraft: discard && state.draft !== null,
      edits,
      draft: { edits: [...base.edits, ...edits], schedules },
      stagedAt: ctx.now,
    }),
  ];
}

/**
 * Pre-actions are validated first (before even looking for a draft), so a bad one is always a
 * 400 and changes nothing. `mergeSchedules: false` lets the draft windows replace the ACTIVE
 * timeline; `true` replays the draft's edits onto ACTIVE and coalesces what touches.
 */
function finalize(
  state: AccountSchedulesState,
  mergeSchedules: boolean,
  preActionInputs: PreActionInput[] | undefined,
  ctx: AccountSchedulesDecisionContext,
): AccountSchedulesEvent[] {
  const errors: FieldError[] = [];
  const preActions = parsePreActions(preActionInputs, errors);
  if (errors.length > 0) throw new ValidationFailed(errors);
  const licenses = grantLicenses(state.licenses, preActions, ctx.now);

  if (state.draft === null) {
    throw new InvalidOperation(
      'the account has no draft schedules to finalize (edit_schedules first)',
    );
  }
  const finalizeCount = state.finalizeCount + 1;
  const schedules = mergeSchedules
    ? merged(state, state.draft.edits, finalizeCount, ctx)
    : state.draft.schedules.map((s) => ({ ...s, version: finalizeCount }));
  const kept = new Set(schedules.map((s) => s.id));
  return [
    accountSchedulesEvent('AccountSchedulesFinalized', {
      accountId: state.accountId,
      finalizeCount,
      mergeSchedules,
      edits: state.draft.edits,
      preActions,
      schedules,
      removedScheduleIds: state.active.filter((s) => !kept.has(s.id)).map((s) => s.id),
      licenses: Object.values(licenses).sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1)),
      finalizedAt: ctx.now,
    }),
  ];
}

/** Replays the draft's edits onto ACTIVE; untouched windows keep their version. */
function merged(
  state: AccountSchedulesState,
  edits: AccountScheduleEdit[],
  finalizeCount: number,
  ctx: AccountSchedulesDecisionContext,
): AccountSchedule[] {
  const newId = () => ctx.newId('sch');
  const replayed = edits.reduce(
    (timeline, e) => applyEdit(timeline, e, state.accountId, finalizeCount, newId),
    state.active,
  );
  const before = new Map(state.active.map((s) => [s.id, s]));
  return coalesce(replayed)
    .map((s) => {
      const old = before.get(s.id);
      return { ...s, version: old && sameWindow(old, s) ? old.version : finalizeCount };
    })
    .sort(byStartDate);
}

/** GRANT_LICENSE in order: RELATIVE adds to the current quantity (0 if none), ABSOLUTE sets it. */
function grantLicenses(
  current: Record<string, AccountLicense>,
  preActions: GrantLicense[],
  now: string,
): Record<string, AccountLicense> {
  const licenses = { ...current };
  const errors: FieldError[] = [];
  preActions.forEach(({ config }, i) => {
    const existing = licenses[config.licenseId]?.quantity ?? 0;
    const quantity =
      config.updateType === 'RELATIVE' ? existing + config.quantity : config.quantity;
    if (!Number.isSafeInteger(quantity)) {
      errors.push({
        field: `preActions[${i}].config.quantity`,
        message: `the resulting quantity of ${config.licenseId} would exceed ${Number.MAX_SAFE_INTEGER}`,
      });
      return;
    }
    licenses[config.licenseId] = {
      licenseId: config.licenseId,
      quantity,
      effectiveFrom: config.effectiveFrom ?? now,
      updatedAt: now,
    };
  });
  if (errors.length > 0) throw new ValidationFailed(errors);
  return licenses;
}
