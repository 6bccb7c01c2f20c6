import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { AsOfQuerySchema } from '../common/history/as-of';
import {
  ACCOUNT_SCHEDULE_LIMITS,
  EDIT_MODES,
  LICENSE_UPDATE_TYPES,
  MAX_EDITS_PER_CALL,
  PRE_ACTION_TYPES,
  PRICING_CYCLE_INTERVALS,
  PRICING_RULE_ACTION_TYPES,
  PRICING_RULE_TIMINGS,
} from '@app/domain';
import {
  dayOrInstant,
  label,
  oneOf,
  queryInteger,
  text,
  utcDay,
} from '../common/validation/schemas';

/**
 * Request shapes of /v2/accounts (Togai seed), declared once for validation, the OpenAPI
 * document and the types. Bodies are strict. The domain keeps the rules that span fields
 * (ASSOCIATE needs associationConfig, effectiveUntil after effectiveFrom, offsets per
 * interval, the currency set, pre-action semantics).
 */

export const ACCOUNT_ID_MAX = 50;
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
const L = ACCOUNT_SCHEDULE_LIMITS;

const accountId = () =>
  text(ACCOUNT_ID_MAX)
    .regex(ACCOUNT_ID_PATTERN, { error: 'account_id may only hold letters, digits and . _ : -' })
    .meta({ description: 'account_id corresponding to an account', example: 'ACC00001' });

export class AccountPathParams extends createZodDto(z.object({ account_id: accountId() })) {}

export class AccountSchedulePathParams extends createZodDto(
  z.object({
    account_id: accountId(),
    schedule_id: text(255).meta({
      description: 'id of an account schedule',
      example: 'sch.0123456789abcdefghijklmn',
    }),
  }),
) {}

export class EditAccountSchedulesParams extends createZodDto(
  z.object({
    discard: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((value) => value === 'true')
      .optional()
      .meta({ description: 'default false; drop the existing draft first' }),
  }),
) {}

export const SCHEDULE_MODES = ['ACTIVE', 'DRAFT'] as const;
export type ScheduleMode = (typeof SCHEDULE_MODES)[number];

export const MAX_PAGE_SIZE = 50;

export const TokenPageSchema = z.object({
  pageSize: queryInteger(1, MAX_PAGE_SIZE, 10),
  nextToken: z
    .string()
    .max(500, { error: 'is not a token issued for this listing' })
    .optional()
    .meta({ description: 'opaque token from a previous page (nextToken or previousToken)' }),
});

export class TokenPageParams extends createZodDto(TokenPageSchema.extend(AsOfQuerySchema.shape)) {}

export class ListAccountSchedulesParams extends createZodDto(
  TokenPageSchema.extend({
    ...AsOfQuerySchema.shape,
    mode: oneOf(SCHEDULE_MODES).optional().meta({ description: 'default ACTIVE' }),
  }),
) {}

/** finalize_schedules answers the first page of the resulting ACTIVE set. */
export class FinalizePageParams extends createZodDto(TokenPageSchema.pick({ pageSize: true })) {}

export class PricingCyclesParams extends createZodDto(
  AsOfQuerySchema.extend({ count: queryInteger(1, 100, 12) }),
) {}

export const PricePlanInfoSchema = z
  .object({
    name: label(L.nameLength),
    description: text(L.descriptionLength, 0).optional(),
  })
  .strict()
  .meta({ id: 'PricePlanInfo' });

export const PricingCycleIntervalSchema = z
  .enum(PRICING_CYCLE_INTERVALS, {
    error: `must be one of ${PRICING_CYCLE_INTERVALS.join(', ')}`,
  })
  .meta({ id: 'PricingCycleInterval' });

export const PricingCycleConfigSchema = z
  .object({
    interval: PricingCycleIntervalSchema,
    startOffset: z
      .object({
        dayOffset: z.string({ error: 'must be a string' }).max(4).meta({
          description:
            'WEEKLY: "1" (Monday) to "7" (Sunday) or LAST; otherwise "1" to "31" or LAST (a missing day takes the closest previous day)',
          example: '1',
        }),
        monthOffset: z.string({ error: 'must be a string' }).max(5).nullable().optional().meta({
          description:
            'FIRST, LAST or "n" within the quarter (1–3), half-year (1–6) or year (1–12); omitted for WEEKLY and MONTHLY',
          example: 'FIRST',
        }),
      })
      .strict()
      .optional()
      .meta({ id: 'PricingCycleStartOffset' }),
    gracePeriod: z
      .number({ error: 'must be an integer' })
      .int({ error: 'must be an integer' })
      .min(0)
      .max(2_147_483_647)
      .meta({
        example: 3,
        description: 'days after a cycle end during which past-dated events are still taken',
      }),
    anniversaryCycle: z
      .boolean({ error: 'must be a boolean' })
      .optional()
      .meta({ description: "derive the offsets from the schedule's startDate" }),
  })
  .strict()
  .meta({
    id: 'PricingCycleConfig',
    description: 'Represents configurations related to pricing cycle',
  });

const ruleText = () => text(L.ruleTextLength, 0);

export const PricingRuleSchema = z
  .object({
    id: label(L.idLength),
    name: label(L.nameLength),
    version: z.number().int().min(1),
    invoiceTiming: oneOf(PRICING_RULE_TIMINGS).optional(),
    order: z.number().int().min(1),
    condition: ruleText()
      .optional()
      .meta({ description: 'JSON logic condition deciding whether to compute this pricing rule' }),
    computation: text(L.ruleTextLength).meta({ description: 'JSON logic to be computed' }),
    action: z
      .object({
        type: oneOf(PRICING_RULE_ACTION_TYPES),
        target: ruleText().optional(),
        id: ruleText().optional(),
        description: ruleText().optional(),
        metadata: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .meta({ id: 'PricingRuleAction' }),
  })
  .strict()
  .meta({
    id: 'PricingRule',
    description: 'Represents pricing rules of a price plan. i.e, price plan bound by time.',
  });

export const AssociationConfigSchema = z
  .object({
    pricePlanId: label(L.idLength),
    pricePlanInfo: PricePlanInfoSchema,
    pricingCycleConfig: PricingCycleConfigSchema,
    supportedCurrencies: z
      .array(
        z
          .string()
          .regex(/^[A-Z]{3}$/, { error: 'must be 3 upper-case letters (ISO 4217)' })
          .meta({ example: 'USD' }),
        { error: 'must be an array' },
      )
      .min(1, { error: 'must list at least one currency' })
      .max(L.currencies),
    deferredRevenue: z
      .boolean({ error: 'must be a boolean' })
      .optional()
      .meta({ description: 'default false' }),
    allowOngoingCycleUpdates: z
      .boolean({ error: 'must be a boolean' })
      .optional()
      .meta({ description: 'default false' }),
    pricingRules: z.array(PricingRuleSchema).max(L.pricingRules).optional(),
  })
  .strict()
  .meta({ id: 'AssociationConfig' });

export const ScheduleEditSchema = z
  .object({
    mode: oneOf(EDIT_MODES),
    effectiveFrom: utcDay().meta({
      description: 'UTC day YYYY-MM-DD (or a midnight-UTC date-time)',
    }),
    effectiveUntil: utcDay().nullable().optional().meta({
      example: '2024-10-04',
      description: 'exclusive; absent = open-ended (9999-01-01T00:00:00Z)',
    }),
    associationConfig: AssociationConfigSchema.nullable()
      .optional()
      .meta({ description: 'required for ASSOCIATE, refused for DISASSOCIATE' }),
  })
  .strict()
  .meta({ id: 'ScheduleEdit' });

export class EditAccountSchedules extends createZodDto(
  z
    .object({
      edits: z
        .array(ScheduleEditSchema, { error: 'must be an array' })
        .min(1, { error: `must be an array of 1 to ${MAX_EDITS_PER_CALL} edits` })
        .max(MAX_EDITS_PER_CALL, {
          error: `must be an array of 1 to ${MAX_EDITS_PER_CALL} edits`,
        }),
    })
    .strict()
    .meta({ description: 'Edits applied, in order, to the draft' }),
) {}

export const PreActionSchema = z
  .object({
    type: oneOf(PRE_ACTION_TYPES).meta({ description: 'Type of pre action to be performed' }),
    config: z
      .object({
        licenseId: label(L.idLength),
        updateType: oneOf(LICENSE_UPDATE_TYPES),
        quantity: z
          .union([
            z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
            z.string().regex(/^\d{1,16}$/),
          ])
          .meta({ description: 'a non-negative integer, as a number or a digit string' }),
        effectiveFrom: dayOrInstant().nullable().optional(),
      })
      .strict()
      .meta({
        id: 'GrantLicenseConfig',
        example: { licenseId: 'seats', updateType: 'RELATIVE', quantity: '5' },
      }),
  })
  .strict()
  .meta({
    id: 'PreAction',
    description: 'Pre action to be performed before association or disassociation',
  });

export class FinalizeAccountSchedules extends createZodDto(
  z
    .object({
      mergeSchedules: z
        .boolean({ error: 'must be a boolean' })
        .optional()
        .meta({
          description:
            'default false. true: the draft edits are merged into the existing schedules (same-plan neighbours coalesce); ' +
            'false: the draft replaces the existing schedules',
        }),
      preActions: z
        .array(PreActionSchema, { error: 'must be an array' })
        .max(L.preActions)
        .optional()
        .meta({ description: 'Pre actions to be performed before association or disassociation' }),
    })
    .strict()
    .meta({ description: 'Request to finalize account schedules' }),
) {}
