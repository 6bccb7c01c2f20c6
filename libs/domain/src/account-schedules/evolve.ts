import type { AccountSchedulesEvent } from './account-schedules.events';
import { emptyAccountSchedules, type AccountSchedulesState } from './account-schedules.state';

/** Folds one event into the state. Pure; `version` is the event's stream version. */
export function evolve(
  state: AccountSchedulesState,
  event: AccountSchedulesEvent,
  version: number,
): AccountSchedulesState {
  switch (event.type) {
    case 'AccountScheduleEditsStaged':
      return { ...state, draft: event.data.draft, version };
    case 'AccountScheduleDraftDiscarded':
      return { ...state, draft: null, version };
    case 'AccountSchedulesFinalized':
      return {
        ...state,
        draft: null,
        active: event.data.schedules,
        licenses: Object.fromEntries(event.data.licenses.map((l) => [l.licenseId, l])),
        finalizeCount: event.data.finalizeCount,
        version,
      };
    default:
      // Unknown (newer) event types change nothing but still advance the version.
      return { ...state, version };
  }
}

export function foldAccountSchedules(
  tenantId: string,
  accountId: string,
  events: Iterable<{ event: AccountSchedulesEvent; version: number }>,
): AccountSchedulesState {
  let state = emptyAccountSchedules(tenantId, accountId);
  for (const { event, version } of events) state = evolve(state, event, version);
  return state;
}
