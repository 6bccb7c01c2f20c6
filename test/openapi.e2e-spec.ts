import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { startTestApp, type TestApp } from './support/test-app';

type Schema = OpenAPIV3.SchemaObject;

describe('/openapi.json', () => {
  let t: TestApp;
  let document: OpenAPIV3.Document;
  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http().get('/openapi.json')).body;
  });
  afterAll(() => t.destroy());

  const schema = (name: string): Schema => document.components?.schemas?.[name] as Schema;
  const propertiesOf = (name: string) => Object.keys(schema(name).properties ?? {}).sort();
  const enumOf = (name: string, property: string) =>
    (schema(name).properties?.[property] as Schema).enum;

  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toMatch(/^3\.0\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('covers every endpoint of SPEC §3', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      ['get', 'post', 'put', 'patch', 'delete']
        .filter((method) => (item as Record<string, unknown>)[method])
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /v0/billingSchedules',
        'GET /v0/billingSchedules',
        'GET /v0/billingSchedules/{id}',
        'PATCH /v0/billingSchedules/{id}',
        'DELETE /v0/billingSchedules/{id}',
        'GET /v0/billingSchedules/{id}/intervals',
        'PUT /v0/billingSchedules/{id}/intervals',
        'GET /v0/billingSchedules/{id}/periods',
        'POST /v0/billingSchedules/{id}/invoices',
        'GET /v0/billingSchedules/{id}/invoices',
        'GET /v0/billingSchedules/{id}/events',
      ]),
    );
  });

  it('covers the account-schedule (SPEC §4) and scheduled-task (SPEC §5) families', () => {
    const paths = Object.keys(document.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v2/accounts/{account_id}/edit_schedules',
        '/v2/accounts/{account_id}/schedules',
        '/v2/accounts/{account_id}/finalize_schedules',
        '/v2/accounts/{account_id}/discard_schedules',
        '/v2/accounts/{account_id}/licenses',
        '/v2/accounts/{account_id}/schedules/{schedule_id}/pricing_cycles',
        '/v1/tasks/scheduled/schedule-update-billing-period',
      ]),
    );
    const task = document.paths['/v1/tasks/scheduled/schedule-update-billing-period']?.post;
    expect(task?.operationId).toBe('scheduleUpdateBillingPeriod');
    expect(propertiesOf('UpdateBillingPeriodsResponse')).toEqual(
      expect.arrayContaining([
        'message',
        'runId',
        'asOf',
        'schedulesScanned',
        'schedulesAdvanced',
        'periodsClosed',
        'schedulesCompleted',
      ]),
    );
    expect(propertiesOf('SchedulesPaginatedResponse')).toEqual(
      expect.arrayContaining(['data', 'nextToken', 'previousToken']),
    );
    expect(propertiesOf('AccountSchedule')).toEqual(
      expect.arrayContaining([
        'id',
        'accountId',
        'pricePlanId',
        'version',
        'deferredRevenue',
        'pricePlanInfo',
        'accountScheduleInfo',
        'startDate',
        'endDate',
        'allowOngoingCycleUpdates',
      ]),
    );
    expect(propertiesOf('ScheduleInfo')).toEqual(
      expect.arrayContaining(['supportedCurrencies', 'pricingCycleConfig']),
    );
    // As in the seed, the interval is a $ref to the named PricingCycleInterval enum.
    expect(JSON.stringify(schema('PricingCycleConfig').properties?.interval)).toContain(
      'PricingCycleInterval',
    );
    expect(schema('PricingCycleInterval').enum).toEqual([
      'WEEKLY',
      'MONTHLY',
      'QUARTERLY',
      'HALF_YEARLY',
      'ANNUALLY',
    ]);
    expect(propertiesOf('FinalizeAccountSchedules')).toEqual(['mergeSchedules', 'preActions']);
    expect(enumOf('PreAction', 'type')).toEqual(['GRANT_LICENSE']);
  });

  it("uses the Paygentic seed's field names and enums for billing_schedule", () => {
    const seedFields = [
      'id',
      'object',
      'merchantId',
      'status',
      'startDate',
      'endDate',
      'billingAnchor',
      'alignmentPolicy',
      'prorationPolicy',
      'periodPreset',
      'customPeriodWindows',
      'metadata',
      'createdAt',
      'updatedAt',
      'orderId',
      'subscriptionId',
      'paymentTermDays',
      'deletedAt',
    ];
    expect(propertiesOf('BillingScheduleResponse')).toEqual(expect.arrayContaining(seedFields));
    expect(propertiesOf('BillingScheduleResponse')).toEqual(
      expect.arrayContaining(['timezone', 'currentPeriodStart', 'currentPeriodEnd', 'version']),
    );
    expect(enumOf('BillingScheduleResponse', 'object')).toEqual(['billing_schedule']);
    expect(enumOf('BillingScheduleResponse', 'status')).toEqual([
      'draft',
      'active',
      'completed',
      'cancelled',
    ]);
    expect(enumOf('BillingScheduleResponse', 'alignmentPolicy')).toEqual([
      'anchor',
      'calendar',
      'coterm',
    ]);
    expect(enumOf('BillingScheduleResponse', 'prorationPolicy')).toEqual(['none', 'daily']);
    expect(enumOf('BillingScheduleResponse', 'periodPreset')).toEqual([
      'single',
      'P1M',
      'P3M',
      'P6M',
      'P1Y',
      'custom',
    ]);
    const create = propertiesOf('CreateBillingScheduleDto');
    expect(create).toEqual(
      expect.arrayContaining([
        'startDate',
        'endDate',
        'billingAnchor',
        'orderId',
        'subscriptionId',
        'alignmentPolicy',
        'prorationPolicy',
        'paymentTermDays',
        'periodPreset',
        'customPeriodWindows',
        'metadata',
      ]),
    );
    expect(schema('CreateBillingScheduleDto').required).toEqual(
      expect.arrayContaining(['startDate', 'endDate', 'billingAnchor']),
    );
  });

  it("uses the seed's field names for intervals and the PUT body", () => {
    expect(propertiesOf('ScheduleIntervalResponse')).toEqual(
      expect.arrayContaining([
        'id',
        'object',
        'scheduleId',
        'baseQuantity',
        'quantityTransitions',
        'billingCadence',
        'startDate',
        'endDate',
        'metadata',
        'createdAt',
        'updatedAt',
        'orderLineItemId',
        'itemId',
        'priceId',
        'description',
        'unitPrice',
        'billDate',
        'usageFilter',
      ]),
    );
    expect(enumOf('ScheduleIntervalResponse', 'object')).toEqual(['schedule_interval']);
    expect(propertiesOf('ReplaceScheduleIntervalsDto')).toEqual(['intervals', 'orderLineItemId']);
    expect(propertiesOf('ScheduleIntervalInput')).toEqual(
      expect.arrayContaining([
        'baseQuantity',
        'billingCadence',
        'startDate',
        'endDate',
        'orderLineItemId',
        'itemId',
        'priceId',
        'description',
        'unitPrice',
        'quantityTransitions',
        'billDate',
        'usageFilter',
        'metadata',
      ]),
    );
    expect(propertiesOf('QuantityTransition')).toEqual(['effectiveDate', 'quantity']);
  });

  it('documents periods, invoices and the seed error body', () => {
    expect(propertiesOf('BillingPeriodResponse')).toEqual(
      expect.arrayContaining([
        'object',
        'index',
        'startDate',
        'endDate',
        'isStub',
        'prorationFactor',
        'issueDate',
        'dueDate',
        'amount',
        'lines',
      ]),
    );
    expect(propertiesOf('ScheduleInvoiceResponse')).toEqual(
      expect.arrayContaining([
        'id',
        'object',
        'billingScheduleId',
        'orderId',
        'merchantId',
        'periodStart',
        'periodEnd',
        'issueDate',
        'dueDate',
        'amount',
        'status',
        'lineItems',
        'createdAt',
        'updatedAt',
      ]),
    );
    expect(propertiesOf('errors.ErrorResponse')).toEqual([
      'code',
      'details',
      'http_status_code',
      'message',
    ]);
    expect(enumOf('errors.ErrorResponse', 'code')).toEqual(
      expect.arrayContaining([
        'not_found',
        'version_conflict',
        'validation_error',
        'invalid_operation',
        'permission_denied',
        'already_exists',
        'internal_error',
        'service_unavailable',
      ]),
    );
    const create = document.paths['/v0/billingSchedules']?.post as OpenAPIV3.OperationObject;
    const badRequest = create.responses['400'] as OpenAPIV3.ResponseObject;
    expect(JSON.stringify(badRequest.content)).toContain(
      '#/components/schemas/errors.ErrorResponse',
    );
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(
      expect.arrayContaining(['bearer', 'ApiKeyAuth']),
    );
  });

  // ------------------------------------------------------------ issue 7: the document tells the truth

  const resolve = (node: unknown): Schema => {
    const ref = (node as OpenAPIV3.ReferenceObject)?.$ref;
    return (ref ? schema(ref.replace('#/components/schemas/', '')) : node) as Schema;
  };
  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      (['get', 'post', 'put', 'patch', 'delete'] as const)
        .filter((method) => item?.[method])
        .map((method) => ({ path, method, op: item![method] as OpenAPIV3.OperationObject })),
    );
  /** Every schema reachable from `root` (properties, items, compositions), with its path. */
  function* walk(root: unknown, at: string, seen = new Set<Schema>()): Generator<[string, Schema]> {
    const node = resolve(root);
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    yield [at, node];
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      yield* walk(child, `${at}.${name}`, seen);
    }
    if ('items' in node) yield* walk(node.items, `${at}[]`, seen);
    for (const part of [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
      yield* walk(part, at, seen);
    }
  }
  const requestBodies = () =>
    operations().flatMap(({ path, method, op }) => {
      const body = (op.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content?.[
        'application/json'
      ]?.schema;
      return body ? [{ at: `${method.toUpperCase()} ${path}`, body }] : [];
    });

  // The fields that accept JSON objects; every other property typed `object` would be a lie.
  const OBJECT_FIELDS = new Set([
    'metadata',
    'usageFilter',
    'pricePlanInfo',
    'pricingCycleConfig',
    'startOffset',
    'associationConfig',
    'action',
    'config',
    'pagination',
    'accountScheduleInfo',
    'data',
    'details',
  ]);

  it('types no property `object` where the code accepts a string (the 11 fields of issue 7 included)', () => {
    const lies = [...requestBodies(), ...operations().flatMap(responseSchemas)].flatMap(
      ({ at, body }) =>
        [...walk(body, at)].filter(([path, node]) => {
          const name = path.split('.').pop()!.replace(/\[\]$/, '');
          // A shaped object (declared properties) is what it says; a bare `object` must be one
          // of the free-form fields.
          const bare = node.type === 'object' && !node.properties;
          return path !== at && bare && !OBJECT_FIELDS.has(name);
        }),
    );
    expect(lies.map(([path]) => path)).toEqual([]);
    const input = schema('ScheduleIntervalInput').properties as Record<string, Schema>;
    for (const field of ['orderLineItemId', 'itemId', 'priceId', 'description', 'unitPrice']) {
      expect({ field, type: input[field].type }).toEqual({ field, type: 'string' });
    }
    expect(input.unitPrice.pattern).toBe('^-?\\d{1,20}(\\.\\d{1,12})?$');
    expect(input.billDate).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
    const create = schema('CreateBillingScheduleDto').properties as Record<string, Schema>;
    for (const field of ['orderId', 'subscriptionId']) {
      expect(create[field]).toMatchObject({ type: 'string', maxLength: 255, nullable: true });
    }
    const edit = resolve(schema('ScheduleEdit')).properties as Record<string, Schema>;
    expect(edit.effectiveUntil).toMatchObject({ type: 'string', nullable: true });
  });

  function responseSchemas({ path, method, op }: ReturnType<typeof operations>[number]) {
    return Object.entries(op.responses).flatMap(([status, response]) => {
      const body = (response as OpenAPIV3.ResponseObject).content?.['application/json']?.schema;
      return body ? [{ at: `${method.toUpperCase()} ${path} → ${status}`, body }] : [];
    });
  }

  it('declares additionalProperties: false on every request body object, as the code rejects unknown fields', () => {
    const bodies = requestBodies();
    expect(bodies.length).toBeGreaterThanOrEqual(6);
    const open = bodies.flatMap(({ at, body }) =>
      [...walk(body, at)]
        .filter(([, node]) => node.type === 'object' && node.properties)
        .filter(([, node]) => node.additionalProperties !== false)
        .map(([path]) => path),
    );
    expect(open).toEqual([]);
  });

  it('types instants as date-time with the strict pattern, and limits as enforced', () => {
    const create = schema('CreateBillingScheduleDto').properties as Record<string, Schema>;
    const pattern = new RegExp(create.startDate.pattern!);
    expect(create.startDate.format).toBe('date-time');
    expect(pattern.test('2024-01-01T00:00:00+23:59')).toBe(true);
    for (const bad of ['2024-01-01T00:00:00+24:00', '2024-01-01T24:00:00Z']) {
      expect(pattern.test(bad)).toBe(false);
    }
    const params = (path: string, method: 'get' | 'post') =>
      Object.fromEntries(
        ((document.paths[path]?.[method]?.parameters ?? []) as OpenAPIV3.ParameterObject[]).map(
          (p) => [p.name, p],
        ),
      );
    const list = params('/v0/billingSchedules', 'get');
    expect(list.limit.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 50,
    });
    expect(list.offset.schema).toMatchObject({ type: 'integer', minimum: 0, default: 0 });
    const schedules = params('/v2/accounts/{account_id}/schedules', 'get');
    expect(schedules.pageSize.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 50,
      default: 10,
    });
    expect(schedules.account_id.schema).toMatchObject({ type: 'string', maxLength: 50 });
    const cycles = params(
      '/v2/accounts/{account_id}/schedules/{schedule_id}/pricing_cycles',
      'get',
    );
    expect(cycles.count.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    expect(
      params('/v2/accounts/{account_id}/finalize_schedules', 'post').pageSize.schema,
    ).toMatchObject({ type: 'integer', maximum: 50, default: 10 });
  });

  it('documents the real error body, with a realistic example per status', () => {
    const details = resolve(schema('errors.ErrorResponse').properties?.details);
    const errors = details.properties?.errors as OpenAPIV3.ArraySchemaObject;
    expect(errors.type).toBe('array');
    expect(resolve(errors.items).properties).toEqual({
      field: { type: 'string' },
      message: { type: 'string' },
    });
    expect(schema('errors.ErrorResponse').properties?.http_status_code).toMatchObject({
      type: 'integer',
    });
    const examples = operations().flatMap(({ path, method, op }) =>
      Object.entries(op.responses)
        .filter(([status]) => Number(status) >= 400)
        .map(([status, response]) => ({
          at: `${method} ${path} ${status}`,
          status: Number(status),
          example: (response as OpenAPIV3.ResponseObject).content?.['application/json']?.example,
        })),
    );
    expect(examples.length).toBeGreaterThan(30);
    for (const { at, status, example } of examples) {
      expect({ at, status: example?.http_status_code }).toEqual({ at, status });
      expect(Object.keys(example).sort()).toEqual([
        'code',
        'details',
        'http_status_code',
        'message',
      ]);
    }
    const notFound = document.paths['/v0/billingSchedules/{id}']?.get?.responses['404'];
    expect((notFound as OpenAPIV3.ResponseObject).content?.['application/json']?.example).toEqual({
      code: 'not_found',
      message: 'billing schedule not found',
      http_status_code: 404,
      details: {},
    });
  });

  it('documents every status a route can answer: 400/401/429/503 everywhere, 409/413 on writes', () => {
    const missing = operations().flatMap(({ path, method, op }) => {
      const expected = ['400', '401', '429', '503'];
      if (method !== 'get') expected.push('409', '413');
      return expected
        .filter((status) => !(status in op.responses))
        .map((status) => `${method.toUpperCase()} ${path} ${status}`);
    });
    expect(missing).toEqual([]);
  });

  it('keeps /openapi.yaml and /docs working', async () => {
    const yaml = await t.http().get('/openapi.yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.text).toContain('openapi: 3.0');
    const docs = await t.http().get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
  });

  it('reads the security schemes as API keys: Bearer (no JWT) and x-api-key', () => {
    const schemes = document.components?.securitySchemes as unknown as Record<
      string,
      Record<string, unknown>
    >;
    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.bearer.bearerFormat).toBeUndefined();
    expect(schemes.ApiKeyAuth).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
  });
});
