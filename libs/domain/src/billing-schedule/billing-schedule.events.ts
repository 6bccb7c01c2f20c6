import { z } from 'zod';
import {
  ScheduleIntervalSchema,
  ScheduleTermsSchema,
  SCHEDULE_STATUSES,
} from './billing-schedule.types';
import { InvoiceLineSchema } from '../periods/amounts';
import { computedDecimal, instant, jsonObject } from '../schemas/primitives';
import { defineEvents, type EventOf } from '../events/event-definitions';

export const BILLING_SCHEDULE_STREAM_TYPE = 'billing_schedule';
export const billingScheduleStreamId = (scheduleId: string) =>
  `${BILLING_SCHEDULE_STREAM_TYPE}-${scheduleId}`;

/**
 * The events of a billing schedule's stream. Each payload is a zod schema, declared once: the
 * TypeScript types, the AsyncAPI and OpenAPI documents and the e2e suites' check of every
 * stored event all come from it. Payloads are self-contained (SPEC §6).
 */

export const INVOICE_STATUSES = ['staged', 'pushed'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const ScheduleInvoiceSchema = z.strictObject({
  id: z.string(),
  object: z.literal('schedule_invoice'),
  billingScheduleId: z.string(),
  orderId: z.string().nullable(),
  merchantId: z.string(),
  periodIndex: z.number().int().min(0),
  periodStart: instant(),
  periodEnd: instant(),
  issueDate: instant(),
  dueDate: instant(),
  amount: computedDecimal('20.00'),
  status: z.enum(INVOICE_STATUSES),
  lineItems: z.array(InvoiceLineSchema),
  createdAt: instant(),
  updatedAt: instant(),
});
export type ScheduleInvoice = z.infer<typeof ScheduleInvoiceSchema>;

/** The fields a client sets on create and may change with PATCH. */
export const ScheduleAttributesSchema = ScheduleTermsSchema.extend({
  orderId: z.string().nullable(),
  subscriptionId: z.string().nullable(),
  metadata: jsonObject(),
});
export type ScheduleAttributes = z.infer<typeof ScheduleAttributesSchema>;

export const BillingScheduleCreatedV1 = ScheduleAttributesSchema.extend({
  scheduleId: z.string(),
  merchantId: z.string(),
  status: z.literal('draft'),
  createdAt: instant(),
}).meta({ id: 'BillingScheduleCreatedV1', description: 'A draft schedule was created.' });
export type BillingScheduleCreatedV1 = z.infer<typeof BillingScheduleCreatedV1>;

export const BillingScheduleUpdatedV1 = z
  .strictObject({
    scheduleId: z.string(),
    changes: ScheduleAttributesSchema.partial().meta({
      description: 'Only the fields that changed, with their new values.',
    }),
    updatedAt: instant(),
  })
  .meta({ id: 'BillingScheduleUpdatedV1', description: 'PATCH changed these fields.' });
export type BillingScheduleUpdatedV1 = z.infer<typeof BillingScheduleUpdatedV1>;

export const BillingScheduleActivatedV1 = z
  .strictObject({
    scheduleId: z.string(),
    activatedAt: instant(),
    currentPeriodStart: instant(),
    currentPeriodEnd: instant(),
  })
  .meta({
    id: 'BillingScheduleActivatedV1',
    description: 'draft → active; the first period becomes the current one.',
  });
export type BillingScheduleActivatedV1 = z.infer<typeof BillingScheduleActivatedV1>;

export const BillingScheduleCancelledV1 = z
  .strictObject({
    scheduleId: z.string(),
    previousStatus: z.enum(SCHEDULE_STATUSES),
    cancelledAt: instant(),
  })
  .meta({ id: 'BillingScheduleCancelledV1', description: 'draft|active → cancelled.' });
export type BillingScheduleCancelledV1 = z.infer<typeof BillingScheduleCancelledV1>;

export const BillingScheduleCompletedV1 = z
  .strictObject({ scheduleId: z.string(), completedAt: instant() })
  .meta({
    id: 'BillingScheduleCompletedV1',
    description: 'The period task reached endDate: active → completed.',
  });
export type BillingScheduleCompletedV1 = z.infer<typeof BillingScheduleCompletedV1>;

export const BillingScheduleDeletedV1 = z
  .strictObject({ scheduleId: z.string(), deletedAt: instant() })
  .meta({ id: 'BillingScheduleDeletedV1', description: 'Soft delete; the stream stays.' });
export type BillingScheduleDeletedV1 = z.infer<typeof BillingScheduleDeletedV1>;

export const ScheduleIntervalsReplacedV1 = z
  .strictObject({
    scheduleId: z.string(),
    orderLineItemId: z.string().nullable().meta({
      description: 'Scope of the wipe: only this line’s intervals were replaced; null = all.',
    }),
    removedIntervalIds: z.array(z.string()),
    intervals: z.array(ScheduleIntervalSchema).meta({
      description: 'The whole resulting set, so consumers need no earlier state.',
    }),
    replacedAt: instant(),
  })
  .meta({ id: 'ScheduleIntervalsReplacedV1', description: 'PUT …/intervals.' });
export type ScheduleIntervalsReplacedV1 = z.infer<typeof ScheduleIntervalsReplacedV1>;

export const ScheduleInvoicesGeneratedV1 = z
  .strictObject({
    scheduleId: z.string(),
    invoices: z.array(ScheduleInvoiceSchema).meta({
      description: 'Staged invoices written by this run (insert or replace by id).',
    }),
    removedInvoiceIds: z.array(z.string()).meta({
      description: 'Staged invoices of earlier runs whose period no longer has lines.',
    }),
    generatedAt: instant(),
  })
  .meta({ id: 'ScheduleInvoicesGeneratedV1', description: 'POST …/invoices staged invoices.' });
export type ScheduleInvoicesGeneratedV1 = z.infer<typeof ScheduleInvoicesGeneratedV1>;

export const ClosedPeriodSchema = z.strictObject({
  index: z.number().int().min(0),
  startDate: instant(),
  endDate: instant(),
  amount: computedDecimal('20.00'),
  lines: z.array(InvoiceLineSchema),
});
export type ClosedPeriod = z.infer<typeof ClosedPeriodSchema>;

const billingPeriodUpdatedFields = {
  scheduleId: z.string(),
  closedPeriod: ClosedPeriodSchema,
  pushedInvoiceId: z.string().nullable().meta({
    description: 'The staged invoice of the closed period that this update marks pushed, if any.',
  }),
  asOf: instant().meta({ description: 'The task’s cut-off instant.' }),
  runId: z.string(),
  updatedAt: instant(),
};

/** Superseded by V2 (see libs/domain/src/events/upcasters.ts); stored events may still hold it. */
export const BillingPeriodUpdatedV1 = z
  .strictObject({
    ...billingPeriodUpdatedFields,
    currentPeriodStart: instant().nullable().meta({ description: 'null after the last period' }),
    currentPeriodEnd: instant().nullable().meta({ description: 'null after the last period' }),
  })
  .meta({
    id: 'BillingPeriodUpdatedV1',
    description:
      'The period task closed one period. Superseded by schemaVersion 2: stored v1 events are ' +
      'upcast on read, so the API and the topic only carry v2.',
  });
export type BillingPeriodUpdatedV1 = z.infer<typeof BillingPeriodUpdatedV1>;

export const CurrentPeriodSchema = z.strictObject({ startDate: instant(), endDate: instant() });

export const BillingPeriodUpdatedV2 = z
  .strictObject({
    ...billingPeriodUpdatedFields,
    currentPeriod: CurrentPeriodSchema.nullable().meta({
      description: 'The period that is current after this one closed; null after the last one.',
    }),
  })
  .meta({
    id: 'BillingPeriodUpdatedV2',
    description:
      'The period task closed one period (its amount and lines; its staged invoice is pushed). ' +
      'v2 carries the new current period as one nullable object instead of v1’s two ' +
      'independently nullable fields.',
  });
export type BillingPeriodUpdatedV2 = z.infer<typeof BillingPeriodUpdatedV2>;

/** The current schemaVersion and payload schema of every event type of the stream. */
export const BILLING_SCHEDULE_EVENTS = defineEvents(BILLING_SCHEDULE_STREAM_TYPE, {
  BillingScheduleCreated: { schemaVersion: 1, data: BillingScheduleCreatedV1 },
  BillingScheduleUpdated: { schemaVersion: 1, data: BillingScheduleUpdatedV1 },
  BillingScheduleActivated: { schemaVersion: 1, data: BillingScheduleActivatedV1 },
  BillingScheduleCancelled: { schemaVersion: 1, data: BillingScheduleCancelledV1 },
  BillingScheduleCompleted: { schemaVersion: 1, data: BillingScheduleCompletedV1 },
  BillingScheduleDeleted: { schemaVersion: 1, data: BillingScheduleDeletedV1 },
  ScheduleIntervalsReplaced: { schemaVersion: 1, data: ScheduleIntervalsReplacedV1 },
  ScheduleInvoicesGenerated: { schemaVersion: 1, data: ScheduleInvoicesGeneratedV1 },
  BillingPeriodUpdated: { schemaVersion: 2, data: BillingPeriodUpdatedV2 },
});

export type BillingScheduleEvent = EventOf<typeof BILLING_SCHEDULE_EVENTS.types>;
export type BillingScheduleEventType = BillingScheduleEvent['type'];

export const BILLING_SCHEDULE_EVENT_TYPES = BILLING_SCHEDULE_EVENTS.names;

export function billingScheduleEvent<T extends BillingScheduleEventType>(
  type: T,
  data: Extract<BillingScheduleEvent, { type: T }>['data'],
): BillingScheduleEvent {
  return BILLING_SCHEDULE_EVENTS.event(type, data) as BillingScheduleEvent;
}
