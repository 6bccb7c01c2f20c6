import { z } from 'zod';
import { EVENT_TYPES } from '@app/domain';
import { cloudEventHeadersOf, EVENT_ENVELOPE_SCHEMAS, EventKeySchema } from '../event-schemas';

export const DEFAULT_TOPIC = 'schedule-events';
const KAFKA_BINDING_VERSION = '0.5.0';

type JsonSchema = Record<string, unknown>;

/**
 * The AsyncAPI 3.0 document of the topic, generated from the same zod schemas that type the
 * events (libs/domain) and the envelope (event-schemas.ts). `docs/asyncapi.yaml` is this
 * document for the default topic (`npm run docs:asyncapi`); a test keeps the two equal.
 */
export function asyncApiDocument(options: { topic?: string; version?: string } = {}) {
  const topic = options.topic ?? DEFAULT_TOPIC;
  const schemas: Record<string, JsonSchema> = {};
  const messages: Record<string, unknown> = {};
  for (const { event, schema } of EVENT_ENVELOPE_SCHEMAS) {
    const name = `${event.type}V${event.schemaVersion}`;
    const dataDescription = (z.globalRegistry.get(event.data)?.description as string) ?? '';
    messages[name] = {
      name: event.type,
      title: `${event.type} (schemaVersion ${event.schemaVersion})`,
      summary: dataDescription.split('. ')[0].replace(/\.?$/, '.'),
      description: event.current
        ? `${dataDescription} Stream type \`${event.streamType}\`.`
        : `**Superseded; upcast on read.** ${dataDescription} Stored events of this version ` +
          'are brought to the current schemaVersion whenever they are read, so the API, the ' +
          'feed and the topic carry the current one; it is documented for archives written ' +
          'before the change.',
      contentType: 'application/json',
      tags: [{ name: event.streamType }],
      headers: inlineJsonSchema(cloudEventHeadersOf(event), schemas),
      payload: inlineJsonSchema(schema, schemas),
      correlationId: {
        description: 'the request (X-Request-Id) or task run that caused the event',
        location: '$message.payload#/metadata/correlationId',
      },
      bindings: {
        kafka: {
          key: inlineJsonSchema(EventKeySchema, schemas),
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
  }
  const channelMessages = Object.fromEntries(
    Object.keys(messages).map((name) => [name, { $ref: `#/components/messages/${name}` }]),
  );
  const sent = [...EVENT_ENVELOPE_SCHEMAS]
    .filter(({ event }) => event.current)
    .map(({ event }) => ({
      $ref: `#/channels/scheduleEvents/messages/${event.type}V${event.schemaVersion}`,
    }));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Billing schedules service: events',
      version: options.version ?? '0.1.0',
      description: INFO_DESCRIPTION,
    },
    defaultContentType: 'application/json',
    channels: {
      scheduleEvents: {
        address: topic,
        title: 'Schedule events',
        description: CHANNEL_DESCRIPTION,
        messages: channelMessages,
        bindings: {
          kafka: {
            topic,
            topicConfiguration: {
              'cleanup.policy': ['delete'],
              'retention.ms': -1,
              'retention.bytes': -1,
            },
            bindingVersion: KAFKA_BINDING_VERSION,
          },
        },
      },
    },
    operations: {
      publishScheduleEvents: {
        action: 'send',
        channel: { $ref: '#/channels/scheduleEvents' },
        title: 'Publish committed events',
        summary: 'The outbox relay publishes every committed event, in commit order.',
        messages: sent,
      },
    },
    components: { messages, schemas: sortKeys(schemas) },
  };
}

/** Every event type of the code, for checks that the document misses none. */
export const DOCUMENTED_EVENT_TYPES = EVENT_TYPES;

/**
 * The JSON Schema (draft-07, the base of AsyncAPI schemas) of a zod schema. Schemas that carry
 * an id become components (`#/components/schemas/<id>`); the rest is inlined.
 */
function inlineJsonSchema(schema: z.ZodType, components: Record<string, JsonSchema>): JsonSchema {
  const generated = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any' });
  const {
    definitions = {},
    $schema: _dialect,
    ...root
  } = relink(generated) as JsonSchema & {
    definitions?: Record<string, JsonSchema>;
  };
  for (const [id, definition] of Object.entries(definitions)) components[id] = definition;
  return root;
}

function relink(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relink);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) =>
      key === '$ref' && typeof value === 'string'
        ? [key, value.replace('#/definitions/', '#/components/schemas/')]
        : [key, relink(value)],
    ),
  );
}

const sortKeys = <T>(record: Record<string, T>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

const INFO_DESCRIPTION = [
  'Every change of a billing schedule or an account schedule is an event. The outbox relay',
  'publishes each committed event once it is stored, as a JSON envelope (SPEC §6) with',
  'CloudEvents binary-mode headers. Payloads are self-contained: a consumer can rebuild every',
  'read model from the topic alone.',
  '',
  '- **Key** = the stream id, so all events of one stream land on one partition, in order.',
  '- **Ordering**: per stream, by `version` (1, 2, … without gaps). Nothing is promised',
  '  across streams.',
  '- **Delivery** is at least once: after a relay crash the last batch may be published again',
  '  with the same ids. Dedupe by `id`, or by (`streamId`, `version`); an event whose',
  '  `version` is not above the last one applied for its stream is a duplicate.',
  '- **Schema evolution**: `schemaVersion` is per type. Older stored payloads are upcast to',
  '  the current version when read, so the relay publishes current shapes; superseded',
  '  versions stay documented here (marked "upcast on read") for archives written before.',
  '- **Retention**: the topic keeps history (`retention.ms=-1`); start a new consumer group',
  '  from the earliest offset to replay everything.',
].join('\n');

const CHANNEL_DESCRIPTION = [
  'The topic is `KAFKA_TOPIC` (default `schedule-events`). One message per event; the key',
  'is the stream id and the value the JSON envelope. The service creates it with',
  '`KAFKA_PARTITIONS` partitions (default 6) and `KAFKA_REPLICATION_FACTOR`.',
].join(' ');
