import {
  BILLING_SCHEDULE_STREAM_TYPE,
  evolve,
  type BillingSchedule,
  type BillingScheduleEvent,
  type BillingScheduleState,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { ProjectionGapError } from '../projection-gap-error';
import type {
  DueQuery,
  DueSchedule,
  BillingScheduleFilter,
  BillingScheduleReadModel,
  Page,
  PageOf,
} from './billing-schedule-read-model.port';

/** The embedded read model: the folded state of every schedule, kept in memory. */
export class InMemoryBillingScheduleReadModel implements BillingScheduleReadModel {
  private readonly schedules = new Map<string, BillingSchedule>();
  private position = 0;

  async apply(events: readonly StoredEvent[], folded?: BillingScheduleState): Promise<void> {
    if (folded && this.follows(events, folded)) {
      this.schedules.set(folded.id, folded);
      for (const event of events) this.position = Math.max(this.position, event.position);
      return;
    }
    for (const event of events) {
      if (event.streamType === BILLING_SCHEDULE_STREAM_TYPE) this.applyOne(event);
      this.position = Math.max(this.position, event.position);
    }
  }

  /**
   * Whether `folded` is this schedule's next state: the events continue its stream without a
   * gap and end at the folded version. Anything else (a redelivery, a gap) takes the guarded
   * path one event at a time.
   */
  private follows(events: readonly StoredEvent[], folded: BillingSchedule): boolean {
    const stored = this.schedules.get(folded.id)?.version ?? 0;
    return (
      events.length > 0 &&
      events.every(
        (event, i) =>
          event.streamType === BILLING_SCHEDULE_STREAM_TYPE &&
          (event.data as { scheduleId: string }).scheduleId === folded.id &&
          event.version === stored + 1 + i,
      ) &&
      events[events.length - 1].version === folded.version
    );
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
    if (next) this.schedules.set(id, next);
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
    const due: DueSchedule[] = [];
    for (const s of this.schedules.values()) {
      if (
        s.status === 'active' &&
        s.deletedAt === null &&
        s.currentPeriodEnd !== null &&
        Date.parse(s.currentPeriodEnd) <= cutoff &&
        (tenantId === undefined || s.merchantId === tenantId) &&
        (afterId === undefined || s.id > afterId)
      ) {
        due.push({ id: s.id, merchantId: s.merchantId });
      }
    }
    return due.sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, limit);
  }

  async checkpoint(): Promise<number> {
    return this.position;
  }
}

export function newestFirst(a: BillingSchedule, b: BillingSchedule): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1);
}
