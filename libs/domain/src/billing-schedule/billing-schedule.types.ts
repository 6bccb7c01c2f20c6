import { z } from 'zod';
import { instant, jsonObject, quantity, money } from '../schemas/primitives';

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

export const PeriodWindowSchema = z.strictObject({ startDate: instant(), endDate: instant() });
export type PeriodWindow = z.infer<typeof PeriodWindowSchema>;

/** The fields that shape periods and amounts (they change only while the schedule is a draft). */
export const ScheduleTermsSchema = z.strictObject({
  startDate: instant(),
  endDate: instant(),
  billingAnchor: instant(),
  alignmentPolicy: z.enum(ALIGNMENT_POLICIES),
  prorationPolicy: z.enum(PRORATION_POLICIES),
  periodPreset: z.enum(PERIOD_PRESETS),
  customPeriodWindows: z.array(PeriodWindowSchema),
  timezone: z.string().meta({ description: 'IANA zone; all calendar arithmetic happens in it' }),
  paymentTermDays: z.number().int().nullable(),
});
export type ScheduleTerms = z.infer<typeof ScheduleTermsSchema>;

export const QuantityTransitionSchema = z.strictObject({
  effectiveDate: instant(),
  quantity: quantity(),
});
export type QuantityTransition = z.infer<typeof QuantityTransitionSchema>;

export const ScheduleIntervalSchema = z.strictObject({
  id: z.string(),
  orderLineItemId: z.string().nullable(),
  itemId: z.string().nullable(),
  priceId: z.string().nullable(),
  description: z.string().nullable(),
  baseQuantity: quantity(),
  unitPrice: money().nullable().meta({ description: 'price per billingCadence; null means zero' }),
  billingCadence: z.string().meta({
    description:
      'ISO-8601 duration in months, years, weeks or days (P1M, P3M, P1Y, P2W, P30D) or `one_off` (P0D is its synonym)',
  }),
  billingMode: z.enum(BILLING_MODES),
  startDate: instant(),
  endDate: instant(),
  quantityTransitions: z.array(QuantityTransitionSchema),
  billDate: instant().nullable().meta({
    description: 'one_off intervals: the instant whose period carries the charge (null: startDate)',
  }),
  usageFilter: jsonObject().nullable(),
  metadata: jsonObject(),
  createdAt: instant(),
  updatedAt: instant(),
});
export type ScheduleInterval = z.infer<typeof ScheduleIntervalSchema>;
