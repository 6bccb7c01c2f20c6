import {
  BILLING_SCHEDULE_STREAM_TYPE,
  billingScheduleStreamId,
  evolve,
  type BillingSchedule,
  type BillingScheduleEvent,
  type BillingScheduleState,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { continuesStream } from '../folded-state';
import { ProjectionGapError } from '../projection-gap-error';
import type {
  DueQuery,
  DueSchedule,
  BillingScheduleFilter,
  BillingScheduleReadModel,
  Page,
  PageOf,
} from './billing-schedule-read-model.port';

/**
 * The folded state of every schedule, kept in memory: for tests and the transient `?asOf`
 * model of one request (the service's read models are SQLite or MongoDB tables).
 */
export class InMemoryBillingScheduleReadModel implements BillingScheduleReadModel {
  private readonly schedules = new Map<string, BillingSchedule>();
  /** Every id in order, sorted again only after a schedule was added, not for every page. */
  private idsInOrder: string[] | null = [];
  private position = 0;

  async apply(events: readonly StoredEvent[], folded?: BillingScheduleState): Promise<void> {
    if (
      folded &&
      continuesStream(
        events,
        billingScheduleStreamId(folded.id),
        this.schedules.get(folded.id)?.version ?? 0,
        folded.version,
      )
    ) {
      this.store(folded.id, folded);
      for (const event of events) this.position = Math.max(this.position, event.position);
      return;
    }
    for (const event of events) {
      if (event.streamType === BILLING_SCHEDULE_STREAM_TYPE) this.applyOne(event);
      this.position = Math.max(this.position, event.position);
    }
  }

  /** Guarded by the stream version: redeliveries change nothing, a gap throws (nothing applied). */
  private applyOne(event: StoredEvent): void {
    const id = (event.data as { scheduleId: string }).scheduleId;
    const current = this.schedules.get(id) ?? null;
    const version = current?.version ?? 0;
    if (event.version <= version) return;
    if (event.version > version + 1) {
      throw new ProjectionGapError(event.streamId, version + 1, event.version);
    }
    const next = evolve(current, event as unknown as BillingScheduleEvent, event.version);
    if (next) this.store(id, next);
  }

  private store(id: string, schedule: BillingSchedule): void {
    if (!this.schedules.has(id)) this.idsInOrder = null;
    this.schedules.set(id, schedule);
  }

  async get(tenantId: string, scheduleId: string): Promise<BillingSchedule | null> {
    const schedule = this.schedules.get(scheduleId);
    return schedule && schedule.merchantId === tenantId && schedule.deletedAt === null
      ? schedule
      : null;
  }

  async list(
    tenantId: string,
    filter: BillingScheduleFilter,
    page: Page,
  ): Promise<PageOf<BillingSchedule>> {
    const matching = [...this.schedules.values()]
      .filter(
        (s) =>
          s.merchantId === tenantId &&
          (filter.includeDeleted === true || s.deletedAt === null) &&
          (filter.status === undefined || s.status === filter.status) &&
          (filter.orderId === undefined || s.orderId === filter.orderId) &&
          (filter.subscriptionId === undefined || s.subscriptionId === filter.subscriptionId),
      )
      .sort(newestFirst);
    return { data: matching.slice(page.offset, page.offset + page.limit), total: matching.length };
  }

  async dueForPeriodUpdate({ tenantId, asOf, afterId, limit }: DueQuery): Promise<DueSchedule[]> {
    const cutoff = Date.parse(asOf);
    const ids = (this.idsInOrder ??= [...this.schedules.keys()].sort());
    const due: DueSchedule[] = [];
    for (let i = afterId === undefined ? 0 : firstAfter(ids, afterId); i < ids.length; i++) {
      if (due.length >= limit) break;
      const s = this.schedules.get(ids[i])!;
      if (
        s.status === 'active' &&
        s.deletedAt === null &&
        s.currentPeriodEnd !== null &&
        Date.parse(s.currentPeriodEnd) <= cutoff &&
        (tenantId === undefined || s.merchantId === tenantId)
      ) {
        due.push({ id: s.id, merchantId: s.merchantId });
      }
    }
    return due;
  }

  async checkpoint(): Promise<number> {
    return this.position;
  }
}

export function newestFirst(a: BillingSchedule, b: BillingSchedule): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1);
}

/** The index of the first id after `afterId` in sorted `ids` (binary search). */
function firstAfter(ids: readonly string[], afterId: string): number {
  let [low, high] = [0, ids.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ids[middle] <= afterId) low = middle + 1;
    else high = middle;
  }
  return low;
}
