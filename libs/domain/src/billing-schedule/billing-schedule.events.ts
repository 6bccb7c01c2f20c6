import type {
  BillingScheduleStatus,
  ScheduleInterval,
  ScheduleTerms,
} from './billing-schedule.types';
import type { InvoiceLine } from '../periods';

export const BILLING_SCHEDULE_STREAM_TYPE = 'billing_schedule';
export const billingScheduleStreamId = (scheduleId: string) =>
  `${BILLING_SCHEDULE_STREAM_TYPE}-${scheduleId}`;

export type InvoiceStatus = 'staged' | 'pushed';

export interface ScheduleInvoice {
  id: string;
  object: 'schedule_invoice';
  billingScheduleId: string;
  orderId: string | null;
  merchantId: string;
  periodIndex: number;
  periodStart: string;
  periodEnd: string;
  issueDate: string;
  dueDate: string;
  amount: string;
  status: InvoiceStatus;
  lineItems: InvoiceLine[];
  createdAt: string;
  updatedAt: string;
}

/** The fields a client sets on create and may change with PATCH. */
export interface ScheduleAttributes extends ScheduleTerms {
  orderId: string | null;
  subscriptionId: string | null;
  metadata: Record<string, unknown>;
}

export interface BillingScheduleCreatedV1 extends ScheduleAttributes {
  scheduleId: string;
  merchantId: string;
  status: 'draft';
  createdAt: string;
}

export interface BillingScheduleUpdatedV1 {
  scheduleId: string;
  changes: Partial<ScheduleAttributes>;
  updatedAt: string;
}

export interface BillingScheduleActivatedV1 {
  scheduleId: string;
  activatedAt: string;
  currentPeriodStart: string;
  currentPeriodEnd: string;
}

export interface BillingScheduleCancelledV1 {
  scheduleId: string;
  previousStatus: BillingScheduleStatus;
  cancelledAt: string;
}

export interface BillingScheduleCompletedV1 {
  scheduleId: string;
  completedAt: string;
}

export interface BillingScheduleDeletedV1 {
  scheduleId: string;
  deletedAt: string;
}

export interface ScheduleIntervalsReplacedV1 {
  scheduleId: string;
  /** Scope of the wipe: only this line's intervals were replaced; null = the whole set. */
  orderLineItemId: string | null;
  removedIntervalIds: string[];
  /** The whole resulting set, so consumers need no earlier state. */
  intervals: ScheduleInterval[];
  replacedAt: string;
}

export interface ScheduleInvoicesGeneratedV1 {
  scheduleId: string;
  /** Staged invoices written by this run (insert or replace by id). */
  invoices: ScheduleInvoice[];
  /** Staged invoices of earlier runs whose period no longer has lines. */
  removedInvoiceIds: string[];
  generatedAt: string;
}

export interface ClosedPeriod {
  index: number;
  startDate: string;
  endDate: string;
  amount: string;
  lines: InvoiceLine[];
}

export interface BillingPeriodUpdatedV1 {
  scheduleId: string;
  closedPeriod: ClosedPeriod;
  /** null when the closed period was the last one. */
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  /** The staged invoice of the closed period that this update marks pushed, if any. */
  pushedInvoiceId: string | null;
  /** The task's cut-off instant. */
  asOf: string;
  runId: string;
  updatedAt: string;
}

interface Event<T extends string, D> {
  type: T;
  schemaVersion: 1;
  data: D;
}

export type BillingScheduleEvent =
  | Event<'BillingScheduleCreated', BillingScheduleCreatedV1>
  | Event<'BillingScheduleUpdated', BillingScheduleUpdatedV1>
  | Event<'BillingScheduleActivated', BillingScheduleActivatedV1>
  | Event<'BillingScheduleCancelled', BillingScheduleCancelledV1>
  | Event<'BillingScheduleCompleted', BillingScheduleCompletedV1>
  | Event<'BillingScheduleDeleted', BillingScheduleDeletedV1>
  | Event<'ScheduleIntervalsReplaced', ScheduleIntervalsReplacedV1>
  | Event<'ScheduleInvoicesGenerated', ScheduleInvoicesGeneratedV1>
  | Event<'BillingPeriodUpdated', BillingPeriodUpdatedV1>;

export type BillingScheduleEventType = BillingScheduleEvent['type'];

export const BILLING_SCHEDULE_EVENT_TYPES: readonly BillingScheduleEventType[] = [
  'BillingScheduleCreated',
  'BillingScheduleUpdated',
  'BillingScheduleActivated',
  'BillingScheduleCancelled',
  'BillingScheduleCompleted',
  'BillingScheduleDeleted',
  'ScheduleIntervalsReplaced',
  'ScheduleInvoicesGenerated',
  'BillingPeriodUpdated',
];

export function billingScheduleEvent<T extends BillingScheduleEventType>(
  type: T,
  data: Extract<BillingScheduleEvent, { type: T }>['data'],
): BillingScheduleEvent {
  return { type, schemaVersion: 1, data } as BillingScheduleEvent;
}
