import type { BillingSchedule, BillingScheduleState, BillingScheduleStatus } from '@app/domain';
import type { StoredEvent } from '@app/event-store';

export interface BillingScheduleFilter {
  status?: BillingScheduleStatus;
  orderId?: string;
  subscriptionId?: string;
  /** Also list soft-deleted schedules (they keep their deletedAt). */
  includeDeleted?: boolean;
}

export interface DueQuery {
  tenantId?: string;
  asOf: string;
  afterId?: string;
  limit: number;
}

export interface DueSchedule {
  id: string;
  merchantId: string;
}

export interface Page {
  limit: number;
  offset: number;
}

export interface PageOf<T> {
  data: T[];
  total: number;
}

/**
 * The billing-schedule read model: one document per schedule, the folded state. Applying is
 * idempotent, guarded by the stream version, so replays and redeliveries never double-apply.
 */
export interface BillingScheduleReadModel {
  /**
   * `folded`, when given, is the stream's state after `events` (all of one stream), as the
   * command runner folded it: an adapter may store it rather than fold the events again.
   */
  apply(events: readonly StoredEvent[], folded?: BillingScheduleState): Promise<void>;
  /** Soft-deleted schedules and other tenants' schedules are not found. */
  get(tenantId: string, scheduleId: string): Promise<BillingSchedule | null>;
  /** Newest first; soft-deleted schedules only with `filter.includeDeleted`. */
  list(
    tenantId: string,
    filter: BillingScheduleFilter,
    page: Page,
  ): Promise<PageOf<BillingSchedule>>;
  /**
   * Active schedules whose current period ended at or before asOf, ordered by id, after
   * `afterId` (keyset paging keeps the billing-period task's memory bounded).
   * No tenantId = every tenant.
   */
  dueForPeriodUpdate(query: DueQuery): Promise<DueSchedule[]>;
  /** The highest event position applied, to resume from. */
  checkpoint(): Promise<number>;
}

export const BILLING_SCHEDULE_READ_MODEL = Symbol('BILLING_SCHEDULE_READ_MODEL');
