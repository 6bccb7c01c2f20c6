/**
 * Shapes of the billing-schedule aggregate. Instants are ISO-8601 UTC strings
 * (`2024-01-31T00:00:00Z`); money and quantities are decimal strings.
 */
export const ALIGNMENT_POLICIES = ['anchor', 'calendar', 'coterm'] as const;
export type AlignmentPolicy = (typeof ALIGNMENT_POLICIES)[number];

export const PRORATION_POLICIES = ['none', 'daily'] as const;
export type ProrationPolicy = (typeof PRORATION_POLICIES)[number];

export const PERIOD_PRESETS = ['single', 'P1M', 'P3M', 'P6M', 'P1Y', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export const SCHEDULE_STATUSES = ['draft', 'active', 'completed', 'cancelled'] as const;
export type BillingScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

export const BILLING_MODES = ['advance', 'arrears'] as const;
export type BillingMode = (typeof BILLING_MODES)[number];

export interface PeriodWindow {
  startDate: string;
  endDate: string;
}

/** The fields that shape periods and amounts (they change only while the schedule is a draft). */
export interface ScheduleTerms {
  startDate: string;
  endDate: string;
  billingAnchor: string;
  alignmentPolicy: AlignmentPolicy;
  prorationPolicy: ProrationPolicy;
  periodPreset: PeriodPreset;
  customPeriodWindows: PeriodWindow[];
  /** IANA zone; all calendar arithmetic happens in it. */
  timezone: string;
  paymentTermDays: number | null;
}

export interface QuantityTransition {
  effectiveDate: string;
  quantity: string;
}

export interface ScheduleInterval {
  id: string;
  orderLineItemId: string | null;
  itemId: string | null;
  priceId: string | null;
  description: string | null;
  baseQuantity: string;
  /** Price per billingCadence; null means zero. */
  unitPrice: string | null;
  /** ISO-8601 duration in months, years, weeks or days (P1M, P3M, P1Y, P2W, P30D) or `one_off` (P0D is its synonym). */
  billingCadence: string;
  billingMode: BillingMode;
  startDate: string;
  endDate: string;
  quantityTransitions: QuantityTransition[];
  /** For one_off intervals: the instant whose period carries the charge (default: startDate). */
  billDate: string | null;
  usageFilter: Record<string, unknown> | null;
  metadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}
