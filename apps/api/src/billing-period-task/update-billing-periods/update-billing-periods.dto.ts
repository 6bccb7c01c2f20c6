import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { instant } from '../../common/validation/schemas';

export const UpdateBillingPeriodsSchema = z
  .object({
    asOf: instant().optional().meta({ description: 'cut-off instant; default now' }),
    dryRun: z
      .boolean({ error: 'must be a boolean' })
      .optional()
      .meta({ description: 'default false; report what would change, change nothing' }),
  })
  .strict();

export class UpdateBillingPeriodsDto extends createZodDto(UpdateBillingPeriodsSchema) {}

const count = (description?: string) =>
  z
    .number()
    .int()
    .min(0)
    .meta(description ? { description } : {});

export const UpdateBillingPeriodsResponseSchema = z.object({
  message: z.string(),
  runId: z.string().meta({ description: 'UUIDv7; the causationId of the events of this run' }),
  asOf: z.string().meta({ format: 'date-time' }),
  dryRun: z.boolean(),
  schedulesScanned: count('active schedules that were due at asOf'),
  schedulesAdvanced: count('schedules with at least one period closed'),
  periodsClosed: count(),
  schedulesCompleted: count(),
  schedulesFailed: count('schedules that could not be advanced (logged)'),
});

export class UpdateBillingPeriodsResponse extends createZodDto(
  UpdateBillingPeriodsResponseSchema,
) {}
