import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { EventEnvelopeResponseSchema } from '../billing-schedules/billing-schedule.responses';
import {
  PricePlanInfoSchema,
  PricingCycleConfigSchema,
  PricingRuleSchema,
} from './account-schedule.dto';

/** Response shapes of /v2/accounts (Togai seed). */

const instant = (example = '2024-07-04T00:00:00Z') =>
  z.string().meta({ format: 'date-time', example });
const token = (description: string) => z.string().optional().meta({ description });

export const AccountScheduleSchema = z
  .object({
    id: z.string().meta({ example: 'sch.3kTMd8Bv0aQ1x2Zp9hYc4LwE' }),
    accountId: z.string().meta({ example: 'ACC00001' }),
    pricePlanId: z.string(),
    version: z
      .number()
      .int()
      .min(1)
      .meta({ description: "the account's finalize count when this window was last written" }),
    deferredRevenue: z.boolean(),
    pricePlanInfo: PricePlanInfoSchema,
    accountScheduleInfo: z
      .object({
        supportedCurrencies: z.array(z.string()).meta({ example: ['USD'] }),
        pricingCycleConfig: PricingCycleConfigSchema,
        pricingRules: z.array(PricingRuleSchema).optional(),
      })
      .meta({ id: 'ScheduleInfo' }),
    isOverridden: z.boolean().optional().meta({
      description:
        'Indicates whether the schedule is overridden. Note: A null value for this field does not imply that the schedule is not overridden.',
    }),
    startDate: instant(),
    endDate: instant('9999-01-01T00:00:00Z').meta({
      description: 'exclusive; 9999-01-01T00:00:00Z = open-ended',
    }),
    allowOngoingCycleUpdates: z.boolean(),
  })
  .meta({ id: 'AccountSchedule' });

export type AccountScheduleResponse = z.infer<typeof AccountScheduleSchema>;

export const SchedulesPaginatedSchema = z
  .object({
    data: z.array(AccountScheduleSchema),
    nextToken: token('opaque; present when more schedules follow'),
    previousToken: token('opaque; present when this is not the first page (pass it as nextToken)'),
  })
  .meta({ description: 'Paginated response for pricing schedules' });

export class SchedulesPaginatedResponse extends createZodDto(SchedulesPaginatedSchema) {}

export class EditAccountSchedulesResponse extends createZodDto(
  z.object({
    accountId: z.string().meta({ example: 'ACC00001' }),
    pricingSchedules: z
      .array(AccountScheduleSchema)
      .meta({ description: 'the draft, sorted by startDate' }),
  }),
) {}

export class BaseSuccessResponse extends createZodDto(
  z.object({ success: z.boolean().meta({ example: true }) }),
) {}

export class AccountLicensesResponse extends createZodDto(
  z.object({
    data: z.array(
      z
        .object({
          licenseId: z.string(),
          quantity: z.number().int().min(0).meta({ example: 5 }),
          effectiveFrom: instant(),
          updatedAt: instant(),
        })
        .meta({ id: 'AccountLicense' }),
    ),
  }),
) {}

export class PricingCyclesResponse extends createZodDto(
  z.object({
    data: z.array(
      z
        .object({
          startDate: instant(),
          endDate: instant(),
          graceEndDate: instant().meta({ description: 'endDate + gracePeriod days' }),
        })
        .meta({ id: 'PricingCycle' }),
    ),
  }),
) {}

export class AccountEventsPaginatedResponse extends createZodDto(
  z.object({
    data: z.array(EventEnvelopeResponseSchema),
    nextToken: token('opaque; present when more events follow'),
    previousToken: token('opaque; present when this is not the first page'),
  }),
) {}
