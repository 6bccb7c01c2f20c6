import type { AccountSchedule, AccountScheduleEdit } from './account-schedules.types';
import { epochOf } from './utc-day';

/**
 * Timeline arithmetic shared by the draft and the merge. A timeline is a list of windows that
 * do not overlap, sorted by startDate.
 */

export const byStartDate = (a: AccountSchedule, b: AccountSchedule): number =>
  epochOf(a.startDate) - epochOf(b.startDate) || epochOf(a.endDate) - epochOf(b.endDate);

/**
 * Removes `[from, until)` from every window it touches. A window cut on one side only keeps its
 * id; a window split in two keeps its id on the left piece and the right piece gets a new id.
 */
export function carve(
  timeline: readonly AccountSchedule[],
  from: string,
  until: string,
  newId: () => string,
): AccountSchedule[] {
  const [start, end] = [epochOf(from), epochOf(until)];
  const result: AccountSchedule[] = [];
  for (const window of timeline) {
    const [wStart, wEnd] = [epochOf(window.startDate), epochOf(window.endDate)];
    if (wEnd <= start || wStart >= end) {
      result.push(window);
      continue;
    }
    const hasLeft = wStart < start;
    if (hasLeft) result.push({ ...window, endDate: from });
    if (wEnd > end) result.push({ ...window, id: hasLeft ? newId() : window.id, startDate: until });
  }
  return result.sort(byStartDate);
}

/**
 * Applies one edit: ASSOCIATE carves its window out and inserts the plan there (with the
 * edit's scheduleId); DISASSOCIATE only carves.
 */
export function applyEdit(
  timeline: readonly AccountSchedule[],
  edit: AccountScheduleEdit,
  accountId: string,
  version: number,
  newId: () => string,
): AccountSchedule[] {
  const carved = carve(timeline, edit.effectiveFrom, edit.effectiveUntil, newId);
  if (edit.mode === 'DISASSOCIATE' || !edit.associationConfig || !edit.scheduleId) return carved;
  const config = edit.associationConfig;
  const inserted: AccountSchedule = {
    id: edit.scheduleId,
    accountId,
    pricePlanId: config.pricePlanId,
    version,
    deferredRevenue: config.deferredRevenue,
    pricePlanInfo: config.pricePlanInfo,
    accountScheduleInfo: {
      supportedCurrencies: config.supportedCurrencies,
      pricingCycleConfig: config.pricingCycleConfig,
      ...(config.pricingRules ? { pricingRules: config.pricingRules } : {}),
    },
    startDate: edit.effectiveFrom,
    endDate: edit.effectiveUntil,
    allowOngoingCycleUpdates: config.allowOngoingCycleUpdates,
  };
  return [...carved, inserted].sort(byStartDate);
}

/** Same plan and identical config: the windows may be coalesced when they touch. */
export function samePlan(a: AccountSchedule, b: AccountSchedule): boolean {
  return a.pricePlanId === b.pricePlanId && canonicalJson(planOf(a)) === canonicalJson(planOf(b));
}

/** Same window in every field but version. */
export function sameWindow(a: AccountSchedule, b: AccountSchedule): boolean {
  const { version: _a, ...restA } = a;
  const { version: _b, ...restB } = b;
  return canonicalJson(restA) === canonicalJson(restB);
}

/** Joins touching windows of the same plan and config; the earlier window's id survives. */
export function coalesce(timeline: readonly AccountSchedule[]): AccountSchedule[] {
  const result: AccountSchedule[] = [];
  for (const window of [...timeline].sort(byStartDate)) {
    const previous = result[result.length - 1];
    if (
      previous &&
      epochOf(previous.endDate) === epochOf(window.startDate) &&
      samePlan(previous, window)
    ) {
      result[result.length - 1] = { ...previous, endDate: window.endDate };
    } else {
      result.push(window);
    }
  }
  return result;
}

const planOf = (s: AccountSchedule) => ({
  pricePlanInfo: s.pricePlanInfo,
  accountScheduleInfo: s.accountScheduleInfo,
  deferredRevenue: s.deferredRevenue,
  allowOngoingCycleUpdates: s.allowOngoingCycleUpdates,
  isOverridden: s.isOverridden,
});

/** JSON with sorted keys, so the same object in another key order compares equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
