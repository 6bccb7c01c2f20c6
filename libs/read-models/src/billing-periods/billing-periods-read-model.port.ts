import type { BillingPeriod } from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import type { Page } from '../billing-schedules/billing-schedule-read-model.port';

/** A page of a schedule's stored periods, with the stream version they reflect. */
export interface PeriodsPage {
  version: number;
  /**
   * False when the schedule's periods are not stored (terms the engine refuses, or a schedule
   * written before the limits existed that exceeds them): the reader computes the page instead.
   */
  materialised: boolean;
  data: BillingPeriod[];
  total: number;
}

/**
 * The billing-period read model: each schedule's periods (with lines and amounts), computed
 * when an event changes its terms or intervals and stored, so a GET is a lookup. Applying is
 * idempotent and guarded by the stream version, like every read model.
 */
export interface BillingPeriodsReadModel {
  apply(events: readonly StoredEvent[]): Promise<void>;
  /** Periods with index in [offset, offset + limit); null for unknown, foreign or deleted schedules. */
  page(tenantId: string, scheduleId: string, page: Page): Promise<PeriodsPage | null>;
  /** The highest event position applied, to resume from. */
  checkpoint(): Promise<number>;
}

export const BILLING_PERIODS_READ_MODEL = Symbol('BILLING_PERIODS_READ_MODEL');
