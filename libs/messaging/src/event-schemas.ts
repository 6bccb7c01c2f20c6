import { z } from 'zod';
import {
  ACCOUNT_SCHEDULES_STREAM_TYPE,
  BILLING_SCHEDULE_STREAM_TYPE,
  CURRENT_EVENT_SCHEMAS,
  EVENT_SCHEMAS,
  instant,
  type EventSchema,
} from '@app/domain';
import { CLOUD_EVENTS_SOURCE } from './kafka/cloud-event-message';

/**
 * The published shapes of SPEC §6, built from the event payload schemas of libs/domain: the
 * envelope of each (type, schemaVersion), the Kafka key and the CloudEvents headers. The
 * AsyncAPI document, the OpenAPI `…/events` answers and the e2e suites' check of every stored
 * event all use these.
 */

const STREAM_TYPES = [BILLING_SCHEDULE_STREAM_TYPE, ACCOUNT_SCHEDULES_STREAM_TYPE] as const;

export const EventKeySchema = z
  .string()
  .regex(new RegExp(`^(${STREAM_TYPES.join('|')})-.+$`))
  .meta({
    id: 'EventKey',
    description:
      'The stream id, `<streamType>-<id>`: `billing_schedule-<scheduleId>` or ' +
      '`account_schedules-<tenant>-<accountId>` (`%` and `-` in the tenant escaped as `%25`, ' +
      '`%2D`). One stream is one key, so its events keep their order within a partition.',
    example: 'billing_schedule-bs_3kTMd8Bv0aQ1x2ZpLmNoPqRs',
  });

export const EventMetadataSchema = z
  .strictObject({
    correlationId: z.string().meta({ description: 'the request id (X-Request-Id) or task run' }),
    causationId: z.string(),
    idempotencyKey: z.string().optional(),
  })
  .meta({ id: 'EventMetadata' });

const integerConst = (value: number) => z.literal(value).meta({ type: 'integer' });

function envelopeOf(event: EventSchema) {
  return z
    .strictObject({
      id: z.uuid().meta({ description: 'UUIDv7; dedupe by it, or by (streamId, version)' }),
      type: z.literal(event.type),
      schemaVersion: integerConst(event.schemaVersion),
      streamId: EventKeySchema,
      streamType: z.literal(event.streamType),
      version: z
        .number()
        .int()
        .min(1)
        .meta({ description: 'position in the stream: 1, 2, … without gaps' }),
      tenantId: z.string(),
      occurredAt: instant().meta({ description: 'when the command was decided' }),
      recordedAt: instant().meta({ description: 'when the store committed it' }),
      data: event.data,
      metadata: EventMetadataSchema,
    })
    .meta({
      id: envelopeId(event),
      description: event.current
        ? `${event.type}, schemaVersion ${event.schemaVersion}.`
        : `${event.type}, schemaVersion ${event.schemaVersion}: superseded; stored events of ` +
          'this version are upcast on read, so the API and the topic carry the current one.',
    });
}

export const envelopeId = (event: Pick<EventSchema, 'type' | 'schemaVersion'>) =>
  `${event.type}V${event.schemaVersion}Event`;

const envelopes = new Map(
  EVENT_SCHEMAS.map((event) => [envelopeId(event), { event, schema: envelopeOf(event) }]),
);

/** Every documented envelope, current and superseded. */
export const EVENT_ENVELOPE_SCHEMAS = [...envelopes.values()];

/** The envelope schema of (type, schemaVersion); undefined for one the service never wrote. */
export function envelopeSchemaOf(type: string, schemaVersion: number) {
  return envelopes.get(envelopeId({ type, schemaVersion }))?.schema;
}

/** What `…/events` answers and the topic carries: one envelope per type, at its current version. */
export const EventEnvelopeSchema = z
  .discriminatedUnion(
    'type',
    CURRENT_EVENT_SCHEMAS.map((event) => envelopes.get(envelopeId(event))!.schema) as [
      ReturnType<typeof envelopeOf>,
      ...ReturnType<typeof envelopeOf>[],
    ],
  )
  .meta({
    id: 'EventEnvelope',
    description: 'SPEC §6 envelope; `data` is the payload of `type` at its current schemaVersion.',
    // For OpenAPI clients: `type` selects the variant.
    discriminator: {
      propertyName: 'type',
      mapping: Object.fromEntries(
        CURRENT_EVENT_SCHEMAS.map((event) => [
          event.type,
          `#/components/schemas/${envelopeId(event)}`,
        ]),
      ),
    },
  });

/** CloudEvents binary-mode headers (values are strings on the wire). */
export function cloudEventHeadersOf(event: Pick<EventSchema, 'type' | 'streamType'>) {
  return z.strictObject({
    ce_specversion: z.literal('1.0'),
    ce_id: z.uuid().meta({ description: 'the envelope id' }),
    ce_type: z.literal(event.type),
    ce_source: z.literal(`${CLOUD_EVENTS_SOURCE}/${event.streamType}`),
    ce_subject: EventKeySchema.meta({ description: 'the stream id' }),
    ce_time: instant().meta({ description: 'occurredAt' }),
    'content-type': z.literal('application/json'),
  });
}
