import type {
  AlignmentPolicy,
  BillingMode,
  BillingScheduleStatus,
  PeriodPreset,
  PeriodWindow,
  ProrationPolicy,
  QuantityTransition,
} from './billing-schedule.types';

/** Client input as validated for shape by the API; dates may carry any RFC 3339 offset. */
export interface ScheduleInput {
  startDate: string;
  endDate: string;
  billingAnchor: string;
  orderId?: string | null;
  subscriptionId?: string | null;
  alignmentPolicy?: AlignmentPolicy;
  prorationPolicy?: ProrationPolicy;
  paymentTermDays?: number | null;
  periodPreset?: PeriodPreset;
  customPeriodWindows?: PeriodWindow[];
  metadata?: Record<string, unknown>;
  timezone?: string;
}

export type SchedulePatch = Partial<ScheduleInput> & { status?: BillingScheduleStatus };

export interface IntervalInput {
  baseQuantity: string;
  billingCadence: string;
  startDate: string;
  endDate: string;
  billingMode?: BillingMode;
  orderLineItemId?: string | null;
  itemId?: string | null;
  priceId?: string | null;
  description?: string | null;
  unitPrice?: string | null;
  quantityTransitions?: QuantityTransition[];
  billDate?: string | null;
  usageFilter?: Record<string, unknown> | null;
  metadata?: Record<string, unknown>;
}

export type BillingScheduleCommand =
  | { type: 'CreateBillingSchedule'; scheduleId: string; merchantId: string; input: ScheduleInput }
  | { type: 'UpdateBillingSchedule'; patch: SchedulePatch }
  | { type: 'DeleteBillingSchedule' }
  | { type: 'ReplaceScheduleIntervals'; orderLineItemId?: string; intervals: IntervalInput[] }
  | { type: 'GenerateScheduleInvoices' }
  /**
   * The billing-period task: close the periods that ended at or before asOf, at most one
   * slice (CLOSE_SLICE) per command; the task repeats it until nothing is left to close.
   * `resumeFrom` (a dry run, which stores nothing) starts at that period instead of the
   * current one.
   */
  | { type: 'CloseElapsedPeriods'; asOf: string; runId: string; resumeFrom?: string };

/** What a decision needs from the outside world, passed in so decide stays pure. */
export interface DecisionContext {
  /** The command's time, ISO UTC. */
  now: string;
  newId: (prefix: 'si' | 'sinv') => string;
}
