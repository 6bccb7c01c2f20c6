import { Parser } from '@asyncapi/parser';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  ACCOUNT_SCHEDULES_EVENT_TYPES,
  BILLING_SCHEDULE_EVENT_TYPES,
  CURRENT_EVENT_SCHEMAS,
} from '@app/domain';
import { asyncApiDocument, envelopeSchemaOf, toYaml, type EventEnvelope } from '@app/messaging';
import {
  intervalBody,
  scheduleBody,
  startTestApp,
  TENANT_A,
  type TestApp,
  associateEdit,
} from './support/test-app';

/**
 * Issue 8 §5: the AsyncAPI document is generated from the event schemas, valid for the real
 * parser, committed as docs/asyncapi.yaml without drift, and documents every event type of
 * the code; every event type, driven over HTTP, matches its documented schema. (Every other
 * suite checks its own events too: see test/support/event-schema-check.ts.)
 */

jest.setTimeout(60_000);

const COMMITTED = join(__dirname, '..', 'docs', 'asyncapi.yaml');
const ERROR = 0; // DiagnosticSeverity.Error

const errorsOf = async (document: string) =>
  (await new Parser().parse(document)).diagnostics
    .filter((d) => d.severity === ERROR)
    .map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`);

describe('AsyncAPI document of the topic', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { KAFKA_TOPIC: 'billing-history' } });
  });
  afterAll(() => t.destroy());

  it('is served at /asyncapi.json without an API key, for the configured topic, and parses without errors', async () => {
    const res = await t.http().get('/asyncapi.json');
    expect(res.status).toBe(200);
    expect(res.body.asyncapi).toBe('3.0.0');
    expect(res.body.channels.scheduleEvents.address).toBe('billing-history');
    expect(res.body.channels.scheduleEvents.bindings.kafka.topic).toBe('billing-history');
    expect(await errorsOf(JSON.stringify(res.body))).toEqual([]);
  });

  it('is committed as docs/asyncapi.yaml exactly as the code generates it (npm run docs:asyncapi)', async () => {
    const committed = await readFile(COMMITTED, 'utf8');
    expect(committed).toBe(toYaml(asyncApiDocument()));
    const parsed = await new Parser().parse(committed);
    expect(parsed.diagnostics.filter((d) => d.severity === ERROR)).toEqual([]);
    // The parser's own YAML reader gives back the generated document.
    const data = (parsed.extras as { document: { data: unknown } } | undefined)?.document.data;
    expect(isDeepStrictEqual(data, asyncApiDocument())).toBe(true);
  });

  it('documents every event type of the code at its current schemaVersion, with key, headers and envelope', async () => {
    const codeTypes = [...BILLING_SCHEDULE_EVENT_TYPES, ...ACCOUNT_SCHEDULES_EVENT_TYPES];
    expect(codeTypes).toHaveLength(12); // SPEC §6 lists twelve
    const document = (await new Parser().parse(JSON.stringify(asyncApiDocument()))).document!;
    const sent = document.operations().get('publishScheduleEvents')!.messages().all();
    const documented = sent.map((m) => {
      const payload = m.payload()!.json() as { properties: Record<string, { const?: unknown }> };
      return `${payload.properties.type.const}@${payload.properties.schemaVersion.const}`;
    });
    expect(documented.sort()).toEqual(
      codeTypes.map((type) => `${type}@${currentVersion(type)}`).sort(),
    );
    for (const message of sent) {
      expect(message.bindings().get('kafka')?.value().key).toMatchObject({ type: 'string' });
      expect(Object.keys(message.headers()!.properties()!)).toEqual(
        expect.arrayContaining(['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_time']),
      );
      const payload = message.payload()!;
      expect(Object.keys(payload.properties()!).sort()).toEqual(
        [
          'data',
          'id',
          'metadata',
          'occurredAt',
          'recordedAt',
          'schemaVersion',
          'streamId',
          'streamType',
          'tenantId',
          'type',
          'version',
        ].sort(),
      );
    }
  });

  it('keeps the superseded BillingPeriodUpdated v1 documented and marked as upcast on read', () => {
    const messages = asyncApiDocument().components.messages as Record<
      string,
      { description: string }
    >;
    expect(messages.BillingPeriodUpdatedV1.description).toMatch(/upcast on read/i);
    expect(messages.BillingPeriodUpdatedV2.description).not.toMatch(/upcast on read/i);
  });

  it('gives the /openapi.json event answers the same payload schemas, one variant per type', async () => {
    const openapi = (await t.http().get('/openapi.json')).body;
    const schemas = openapi.components.schemas;
    const variants = (schemas.EventEnvelope.oneOf as { $ref: string }[]).map((v) => v.$ref);
    expect(variants.sort()).toEqual(
      CURRENT_EVENT_SCHEMAS.map(
        (e) => `#/components/schemas/${e.type}V${e.schemaVersion}Event`,
      ).sort(),
    );
    expect(schemas.EventEnvelope.discriminator.propertyName).toBe('type');
    for (const event of CURRENT_EVENT_SCHEMAS) {
      expect(schemas.EventEnvelope.discriminator.mapping[event.type]).toBe(
        `#/components/schemas/${event.type}V${event.schemaVersion}Event`,
      );
      const variant = schemas[`${event.type}V${event.schemaVersion}Event`];
      expect(variant.properties.data).toEqual({
        $ref: `#/components/schemas/${event.type}V${event.schemaVersion}`,
      });
    }
    const events = openapi.paths['/v0/billingSchedules/{id}/events'].get.responses['200'];
    const list = events.content['application/json'].schema;
    const listSchema = list.$ref ? schemas[list.$ref.split('/').pop()] : list;
    expect(listSchema.properties.data.items).toEqual({
      $ref: '#/components/schemas/EventEnvelope',
    });
  });
});

describe('every event type, driven over HTTP, matches its documented schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  const ok = async (request: Promise<{ status: number; body: Record<string, unknown> }>) => {
    const res = await request;
    expect(res.status).toBeLessThan(300);
    return res.body;
  };

  it('covers all twelve types and each answer of …/events validates', async () => {
    const api = t.http;
    const auth = t.auth();
    // Billing schedule: created, updated, intervals, invoices, activated, periods, completed.
    const a = (await ok(
      api()
        .post('/v0/billingSchedules')
        .set(auth)
        .send(scheduleBody({ endDate: '2024-03-01T00:00:00Z' })),
    )) as { id: string };
    const scheduleA = `/v0/billingSchedules/${a.id}`;
    await ok(
      api()
        .patch(scheduleA)
        .set(auth)
        .send({ metadata: { team: 'billing' } }),
    );
    await ok(
      api()
        .put(`${scheduleA}/intervals`)
        .set(auth)
        .send({ intervals: [intervalBody({ endDate: '2024-03-01T00:00:00Z' })] }),
    );
    await ok(api().post(`${scheduleA}/invoices`).set(auth).send());
    await ok(api().patch(scheduleA).set(auth).send({ status: 'active' }));
    await ok(
      api()
        .post('/v1/tasks/scheduled/schedule-update-billing-period')
        .set(auth)
        .send({ asOf: '2024-06-01T00:00:00Z' }),
    );
    // Another one: cancelled, then deleted.
    const b = (await ok(api().post('/v0/billingSchedules').set(auth).send(scheduleBody()))) as {
      id: string;
    };
    await ok(api().patch(`/v0/billingSchedules/${b.id}`).set(auth).send({ status: 'cancelled' }));
    const eventsOfB = (await ok(api().get(`/v0/billingSchedules/${b.id}/events`).set(auth)))
      .data as EventEnvelope[];
    await ok(api().delete(`/v0/billingSchedules/${b.id}`).set(auth));
    // Account schedules: staged, discarded, staged again, finalized.
    const account = '/v2/accounts/ACC_SCHEMAS';
    const edits = {
      edits: [
        associateEdit({
          interval: 'QUARTERLY',
          startOffset: { dayOffset: 'LAST', monthOffset: 'FIRST' },
          gracePeriod: 3,
        }),
        { mode: 'DISASSOCIATE', effectiveFrom: '2024-08-04', effectiveUntil: '2024-09-04' },
      ],
    };
    await ok(api().post(`${account}/edit_schedules?discard=false`).set(auth).send(edits));
    await ok(api().delete(`${account}/discard_schedules`).set(auth));
    await ok(api().post(`${account}/edit_schedules?discard=false`).set(auth).send(edits));
    await ok(
      api()
        .post(`${account}/finalize_schedules`)
        .set(auth)
        .send({
          mergeSchedules: false,
          preActions: [
            {
              type: 'GRANT_LICENSE',
              config: { licenseId: 'seats', updateType: 'RELATIVE', quantity: '5' },
            },
          ],
        }),
    );

    const eventsOfA = (await ok(api().get(`${scheduleA}/events`).set(auth)))
      .data as EventEnvelope[];
    const eventsOfAccount = (await ok(api().get(`${account}/events?pageSize=50`).set(auth)))
      .data as EventEnvelope[];
    const answered = [...eventsOfA, ...eventsOfB, ...eventsOfAccount];
    for (const envelope of answered) {
      const schema = envelopeSchemaOf(envelope.type, envelope.schemaVersion);
      expect(schema?.safeParse(envelope).error).toBeUndefined();
      expect(envelope.tenantId).toBe(TENANT_A.tenant);
    }
    const seen = new Set([
      ...answered.map((e) => e.type),
      'BillingScheduleDeleted', // answered no more: the schedule is gone; the store check covers it
    ]);
    expect([...seen].sort()).toEqual(
      [...BILLING_SCHEDULE_EVENT_TYPES, ...ACCOUNT_SCHEDULES_EVENT_TYPES].sort(),
    );
    expect(eventsOfA.find((e) => e.type === 'BillingPeriodUpdated')?.schemaVersion).toBe(2);
  });
});

function currentVersion(type: string): number {
  return CURRENT_EVENT_SCHEMAS.find((e) => e.type === type)!.schemaVersion;
}
