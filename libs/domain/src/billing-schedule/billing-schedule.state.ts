import type { BillingScheduleStatus, ScheduleInterval } from './billing-schedule.types';
import type { ScheduleAttributes, ScheduleInvoice } from './billing-schedule.events';

/** The aggregate's state, folded from its stream. `null` before the stream exists. */
export interface BillingSchedule extends ScheduleAttributes {
  id: string;
  merchantId: string;
  status: BillingScheduleStatus;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  intervals: ScheduleInterval[];
  invoices: ScheduleInvoice[];
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  /** Stream version of the last folded event. */
  version: number;
}

export type BillingScheduleState = BillingSchedule | null;
