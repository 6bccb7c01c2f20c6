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
    expect(propertiesOf('ScheduleIntervalInputDto')).toEqual(
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
    expect(propertiesOf('QuantityTransitionDto')).toEqual(['effectiveDate', 'quantity']);
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
});
