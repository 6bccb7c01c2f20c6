import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  ALIGNMENT_POLICIES,
  BILLING_MODES,
  PERIOD_PRESETS,
  PRORATION_POLICIES,
  SCHEDULE_STATUSES,
} from '@app/domain';
import { EventEnvelopeSchema } from '@app/messaging';
import { listSchema } from '../common/http/pagination';
import { PeriodWindowSchema, QuantityTransitionSchema } from './billing-schedule.dto';

/** Response shapes of /v0 (documentation and the presenters' types come from these). */

const instant = () => z.string().meta({ format: 'date-time', example: '2024-01-31T00:00:00Z' });
const decimal = (example: string) => z.string().meta({ example });
const jsonObject = () => z.record(z.string(), z.unknown());
// z.string().nullable() alone becomes `type: [string, null]`, which nestjs-zod's OpenAPI 3.0
// clean-up does not translate; with metadata it is an anyOf that it does.
const nullableText = (example: string) => z.string().meta({ example }).nullable();

export const BillingScheduleResponseSchema = z
  .object({
    id: z.string().meta({ example: 'bs_3kTMd8Bv0aQ1x2ZpLmNoPqRs' }),
    object: z.literal('billing_schedule'),
    merchantId: z.string(),
    status: z.enum(SCHEDULE_STATUSES),
    startDate: instant(),
    endDate: instant(),
    billingAnchor: instant(),
    alignmentPolicy: z.enum(ALIGNMENT_POLICIES),
    prorationPolicy: z.enum(PRORATION_POLICIES),
    periodPreset: z.enum(PERIOD_PRESETS),
    customPeriodWindows: z.array(PeriodWindowSchema),
    metadata: jsonObject(),
    createdAt: instant(),
    updatedAt: instant(),
    orderId: nullableText('ord_123'),
    subscriptionId: nullableText('sub_123'),
    paymentTermDays: z.number().int().nullable(),
    deletedAt: instant().nullable(),
    timezone: z.string().meta({ example: 'UTC' }),
    currentPeriodStart: instant().nullable(),
    currentPeriodEnd: instant().nullable(),
    version: z.number().int().min(1).meta({ description: 'stream version; also the ETag' }),
  })
  .meta({ id: 'BillingSchedule' });

// A root DTO cannot carry the id its list items use (nestjs-zod names the component after it),
// so the single-resource answer is the same shape under the class name.
export class BillingScheduleResponse extends createZodDto(
  z.object(BillingScheduleResponseSchema.shape),
) {}
export class BillingScheduleListResponse extends createZodDto(
  listSchema(BillingScheduleResponseSchema),
) {}

export const ScheduleIntervalResponseSchema = z
  .object({
    id: z.string(),
    object: z.literal('schedule_interval'),
    scheduleId: z.string(),
    baseQuantity: decimal('3'),
    quantityTransitions: z.array(QuantityTransitionSchema),
    billingCadence: z.string().meta({ example: 'P1M' }),
    billingMode: z.enum(BILLING_MODES),
    startDate: instant(),
    endDate: instant(),
    metadata: jsonObject(),
    createdAt: instant(),
    updatedAt: instant(),
    orderLineItemId: nullableText('line_seats'),
    itemId: nullableText('item_seat'),
    priceId: nullableText('price_seat'),
    description: nullableText('Seats'),
    unitPrice: decimal('10.00').nullable(),
    billDate: instant().nullable(),
    usageFilter: jsonObject().nullable(),
  })
  .meta({ id: 'ScheduleIntervalResponse' });

export type ScheduleIntervalResponse = z.infer<typeof ScheduleIntervalResponseSchema>;
export class ScheduleIntervalListResponse extends createZodDto(
  listSchema(ScheduleIntervalResponseSchema),
) {}

export const InvoiceLineResponseSchema = z
  .object({
    lineKey: z.string(),
    intervalId: z.string(),
    orderLineItemId: nullableText('line_seats'),
    description: nullableText('Seats'),
    billingMode: z.enum(BILLING_MODES),
    startDate: instant(),
    endDate: instant(),
    quantity: decimal('2'),
    unitPrice: decimal('10.00'),
    units: decimal('1').meta({ description: 'cadence units charged' }),
    subtotal: decimal('20.00'),
  })
  .meta({ id: 'InvoiceLineResponse' });

export const BillingPeriodResponseSchema = z
  .object({
    object: z.literal('billing_period'),
    index: z.number().int().min(0),
    startDate: instant(),
    endDate: instant(),
    isStub: z.boolean(),
    prorationFactor: decimal('1'),
    issueDate: instant(),
    dueDate: instant(),
    amount: decimal('20.00'),
    lines: z.array(InvoiceLineResponseSchema),
  })
  .meta({ id: 'BillingPeriodResponse' });

export class BillingPeriodListResponse extends createZodDto(
  listSchema(BillingPeriodResponseSchema),
) {}

export const ScheduleInvoiceResponseSchema = z
  .object({
    id: z.string().meta({ example: 'sinv_3kTMd8Bv0aQ1x2ZpLmNoPqRs' }),
    object: z.literal('schedule_invoice'),
    billingScheduleId: z.string(),
    orderId: nullableText('ord_123'),
    merchantId: z.string(),
    periodStart: instant(),
    periodEnd: instant(),
    issueDate: instant(),
    dueDate: instant(),
    amount: decimal('20.00'),
    status: z.enum(['staged', 'pushed']),
    lineItems: z.array(InvoiceLineResponseSchema),
    createdAt: instant(),
    updatedAt: instant(),
  })
  .meta({ id: 'ScheduleInvoiceResponse' });

export type ScheduleInvoiceResponse = z.infer<typeof ScheduleInvoiceResponseSchema>;
export class ScheduleInvoiceListResponse extends createZodDto(
  listSchema(ScheduleInvoiceResponseSchema),
) {}

/**
 * The SPEC §6 envelope, one variant per event type with its payload schema (the same schemas
 * as the AsyncAPI document of the topic); stored payloads are upcast to the current version.
 */
export const EventEnvelopeResponseSchema = EventEnvelopeSchema;

export class EventEnvelopeListResponse extends createZodDto(
  listSchema(EventEnvelopeResponseSchema),
) {}
