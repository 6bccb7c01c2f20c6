import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  ALIGNMENT_POLICIES,
  BILLING_MODES,
  isKnownZone,
  isValidCadence,
  PERIOD_PRESETS,
  PeriodWindowSchema as PeriodWindowShape,
  QuantityTransitionSchema as QuantityTransitionShape,
  PRORATION_POLICIES,
  SCHEDULE_STATUSES,
} from '@app/domain';
import {
  instant,
  jsonObject,
  metadata,
  money,
  oneOf,
  quantity,
  text,
} from '../common/validation/schemas';

/**
 * Request shapes of /v0/billingSchedules, declared once: the global ZodValidationPipe checks
 * them, nestjs-zod documents them, and the handlers get their types. Bodies are strict
 * (unknown field → 400); the domain keeps the cross-field and state rules.
 */

const ID_MAX = 255;

// The same shapes as the schedule's state and events (libs/domain), named for OpenAPI.
export const PeriodWindowSchema = PeriodWindowShape.meta({ id: 'PeriodWindow' });
export const QuantityTransitionSchema = QuantityTransitionShape.meta({
  id: 'QuantityTransition',
});

/** Fields shared by create and PATCH; create makes the dates required. */
const scheduleFields = {
  orderId: text(ID_MAX).nullable().optional(),
  subscriptionId: text(ID_MAX).nullable().optional(),
  alignmentPolicy: oneOf(ALIGNMENT_POLICIES).optional().meta({ description: 'default anchor' }),
  prorationPolicy: oneOf(PRORATION_POLICIES).optional().meta({ description: 'default none' }),
  paymentTermDays: z
    .number({ error: 'must be a whole number of days, 0 to 3650, or null' })
    .int({ error: 'must be a whole number of days' })
    .min(0, { error: 'must be at least 0' })
    .max(3650, { error: 'must be at most 3650' })
    .nullable()
    .optional(),
  periodPreset: oneOf(PERIOD_PRESETS).optional().meta({ description: 'default P1M' }),
  customPeriodWindows: z
    .array(PeriodWindowSchema, { error: 'must be an array' })
    .max(1000, { error: 'must have at most 1000 windows' })
    .optional()
    .meta({ description: 'default []' }),
  metadata: metadata().optional().meta({ description: 'default {}' }),
  timezone: text(64)
    .refine(isKnownZone, { error: 'must be an IANA time zone name (e.g. UTC, Europe/Berlin)' })
    .optional()
    .meta({ description: 'default UTC; IANA time zone for all calendar arithmetic' }),
};

export const CreateBillingScheduleSchema = z
  .object({
    startDate: instant(),
    endDate: instant(),
    billingAnchor: instant(),
    ...scheduleFields,
  })
  .strict();

export class CreateBillingScheduleDto extends createZodDto(CreateBillingScheduleSchema) {}

export const UpdateBillingScheduleSchema = z
  .object({
    startDate: instant().optional(),
    endDate: instant().optional(),
    billingAnchor: instant().optional(),
    status: oneOf(SCHEDULE_STATUSES).optional(),
    ...scheduleFields,
  })
  .strict();

export class UpdateBillingScheduleDto extends createZodDto(UpdateBillingScheduleSchema) {}

const CADENCE_MESSAGE =
  'must be an ISO-8601 duration in months, years, weeks or days (P1M, P1Y, P2W, P30D) or one_off';

export const ScheduleIntervalInputSchema = z
  .object({
    baseQuantity: quantity(),
    billingCadence: text(32)
      .refine(isValidCadence, { error: CADENCE_MESSAGE })
      .meta({ example: 'P1M', description: 'P1M, P3M, P1Y, P2W, P30D or one_off (P0D)' }),
    startDate: instant(),
    endDate: instant(),
    billingMode: oneOf(BILLING_MODES).optional().meta({ description: 'default advance' }),
    orderLineItemId: text(ID_MAX, 0).nullable().optional(),
    itemId: text(ID_MAX, 0).nullable().optional(),
    priceId: text(ID_MAX, 0).nullable().optional(),
    description: text(1000, 0).nullable().optional(),
    unitPrice: money()
      .nullable()
      .optional()
      .meta({ description: 'price per billingCadence; absent = 0' }),
    quantityTransitions: z
      .array(QuantityTransitionSchema, { error: 'must be an array' })
      .max(100, { error: 'must have at most 100 transitions' })
      .optional(),
    billDate: instant().nullable().optional(),
    usageFilter: jsonObject().nullable().optional(),
    metadata: metadata().optional(),
  })
  .strict()
  .meta({ id: 'ScheduleIntervalInput' });

export const ReplaceScheduleIntervalsSchema = z
  .object({
    intervals: z
      .array(ScheduleIntervalInputSchema, { error: 'must be an array' })
      .max(1000, { error: 'must have at most 1000 intervals' }),
    orderLineItemId: text(ID_MAX).optional().meta({
      description:
        "When set, scope the wipe to this line's intervals only (per-line cell-edit path)",
    }),
  })
  .strict();

export class ReplaceScheduleIntervalsDto extends createZodDto(ReplaceScheduleIntervalsSchema) {}
