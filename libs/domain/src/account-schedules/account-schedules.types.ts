import { z } from 'zod';
import { PricingCycleConfigSchema } from '../pricing-cycles/pricing-cycles';
import { instant } from '../schemas/primitives';

/**
 * Shapes of the account-schedules aggregate (Togai model): one price-plan timeline per
 * (tenant, account), edited as a draft and then finalized. Dates are UTC days in the canonical
 * form `YYYY-MM-DDT00:00:00Z`; windows are half-open `[startDate, endDate)`.
 */
export const EDIT_MODES = ['ASSOCIATE', 'DISASSOCIATE'] as const;
export type EditMode = (typeof EDIT_MODES)[number];

export const PRE_ACTION_TYPES = ['GRANT_LICENSE'] as const;
export type PreActionType = (typeof PRE_ACTION_TYPES)[number];

export const LICENSE_UPDATE_TYPES = ['RELATIVE', 'ABSOLUTE'] as const;
export type LicenseUpdateType = (typeof LICENSE_UPDATE_TYPES)[number];

export const PRICING_RULE_TIMINGS = ['IN_ADVANCE', 'IN_ARREARS'] as const;
export const PRICING_RULE_ACTION_TYPES = ['ADD', 'UPDATE'] as const;

/** The end of an open-ended window (an edit without effectiveUntil). */
export const OPEN_ENDED_DATE = '9999-01-01T00:00:00Z';

/** At most this many edits per edit call (SPEC §2). */
export const MAX_EDITS_PER_CALL = 10;

export const PricePlanInfoSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
});
export type PricePlanInfo = z.infer<typeof PricePlanInfoSchema>;

export const PricingRuleActionSchema = z.strictObject({
  type: z.enum(PRICING_RULE_ACTION_TYPES),
  target: z.string().optional(),
  id: z.string().optional(),
  description: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});
export type PricingRuleAction = z.infer<typeof PricingRuleActionSchema>;

/** The seed's PricingRule. */
export const PricingRuleSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  invoiceTiming: z.enum(PRICING_RULE_TIMINGS).optional(),
  order: z.number().int(),
  condition: z.string().optional(),
  computation: z.string(),
  action: PricingRuleActionSchema,
});
export type PricingRule = z.infer<typeof PricingRuleSchema>;

/** The seed's ScheduleInfo. */
export const AccountScheduleInfoSchema = z.strictObject({
  supportedCurrencies: z.array(z.string()),
  pricingCycleConfig: PricingCycleConfigSchema,
  pricingRules: z.array(PricingRuleSchema).optional(),
});
export type AccountScheduleInfo = z.infer<typeof AccountScheduleInfoSchema>;

/** The seed's AccountSchedule: one window of the timeline, field for field. */
export const AccountScheduleSchema = z.strictObject({
  id: z.string(),
  accountId: z.string(),
  pricePlanId: z.string(),
  version: z
    .number()
    .int()
    .meta({ description: "the account's finalize count when this window was last written" }),
  deferredRevenue: z.boolean(),
  pricePlanInfo: PricePlanInfoSchema,
  accountScheduleInfo: AccountScheduleInfoSchema,
  isOverridden: z.boolean().optional(),
  startDate: instant(),
  endDate: instant(),
  allowOngoingCycleUpdates: z.boolean(),
});
export type AccountSchedule = z.infer<typeof AccountScheduleSchema>;

/** An edit's associationConfig with its defaults applied. */
export const AssociationConfigSchema = z.strictObject({
  pricePlanId: z.string(),
  pricePlanInfo: PricePlanInfoSchema,
  pricingCycleConfig: PricingCycleConfigSchema,
  supportedCurrencies: z.array(z.string()),
  deferredRevenue: z.boolean(),
  allowOngoingCycleUpdates: z.boolean(),
  pricingRules: z.array(PricingRuleSchema).optional(),
});
export type AssociationConfig = z.infer<typeof AssociationConfigSchema>;

/** One edit as staged: dates canonical, open end filled in. */
export const AccountScheduleEditSchema = z.strictObject({
  mode: z.enum(EDIT_MODES),
  effectiveFrom: instant(),
  effectiveUntil: instant(),
  associationConfig: AssociationConfigSchema.optional().meta({ description: 'ASSOCIATE only' }),
  // A merge replays the edit with the same id, so the window keeps its id from draft to ACTIVE.
  scheduleId: z.string().optional().meta({
    description: 'ASSOCIATE only: the id of the window the edit inserted into the draft',
  }),
});
export type AccountScheduleEdit = z.infer<typeof AccountScheduleEditSchema>;

export const AccountLicenseSchema = z.strictObject({
  licenseId: z.string(),
  quantity: z.number().int(),
  effectiveFrom: instant(),
  updatedAt: instant(),
});
export type AccountLicense = z.infer<typeof AccountLicenseSchema>;

/** A validated GRANT_LICENSE pre-action as applied by a finalize. */
export const GrantLicenseSchema = z.strictObject({
  type: z.literal('GRANT_LICENSE'),
  config: z.strictObject({
    licenseId: z.string(),
    updateType: z.enum(LICENSE_UPDATE_TYPES),
    quantity: z.number().int(),
    effectiveFrom: instant().optional(),
  }),
});
export type GrantLicense = z.infer<typeof GrantLicenseSchema>;
