import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 7: a client generated from the live /openapi.json with openapi-typescript compiles
 * together with a typed version of every README example (tsc as a child process).
 */

const run = promisify(execFile);

// Every README request, typed by the generated `paths`. A field the document types wrongly
// (e.g. unitPrice as an object) makes tsc fail.
const README_EXAMPLES = `
import type { paths } from './api';

type Body<P extends keyof paths, M extends keyof paths[P]> = NonNullable<
  paths[P][M] extends { requestBody?: infer B } ? B : never
> extends { content: { 'application/json': infer J } }
  ? J
  : never;
type Query<P extends keyof paths, M extends keyof paths[P]> = NonNullable<
  paths[P][M] extends { parameters: { query?: infer Q } } ? Q : never
>;
type Ok<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer R } } } }
    ? R
    : never;

export const create: Body<'/v0/billingSchedules', 'post'> = {
  startDate: '2024-01-15T00:00:00Z',
  endDate: '2025-01-15T00:00:00Z',
  billingAnchor: '2024-01-31T00:00:00Z',
  orderId: 'ord_123',
  prorationPolicy: 'daily',
  paymentTermDays: 30,
  timezone: 'Europe/Berlin',
};

export const intervals: Body<'/v0/billingSchedules/{id}/intervals', 'put'> = {
  intervals: [
    {
      orderLineItemId: 'line_seats',
      description: 'Seats',
      baseQuantity: '3',
      unitPrice: '10.00',
      billingCadence: 'P1M',
      startDate: '2024-01-15T00:00:00Z',
      endDate: '2025-01-15T00:00:00Z',
      quantityTransitions: [{ effectiveDate: '2024-06-01T00:00:00Z', quantity: '5' }],
    },
  ],
};

export const activate: Body<'/v0/billingSchedules/{id}', 'patch'> = { status: 'active' };
// The README passes the createdAt of its create answer.
export const asOf: Query<'/v0/billingSchedules/{id}', 'get'> = { asOf: '2024-05-02T10:00:00.123Z' };
export const intervalsAsOf: Query<'/v0/billingSchedules/{id}/intervals', 'get'> = asOf;
export const page: Query<'/v0/billingSchedules/{id}/periods', 'get'> = { limit: 50, offset: 0 };

export const edit: Body<'/v2/accounts/{account_id}/edit_schedules', 'post'> = {
  edits: [
    {
      mode: 'ASSOCIATE',
      effectiveFrom: '2024-07-04',
      effectiveUntil: '2024-10-04',
      associationConfig: {
        pricePlanId: 'pp.basic',
        pricePlanInfo: { name: 'Basic' },
        supportedCurrencies: ['USD'],
        pricingCycleConfig: {
          interval: 'MONTHLY',
          startOffset: { dayOffset: 'LAST' },
          gracePeriod: 3,
        },
      },
    },
    { mode: 'DISASSOCIATE', effectiveFrom: '2024-08-04', effectiveUntil: '2024-09-04' },
  ],
};
export const editQuery: Query<'/v2/accounts/{account_id}/edit_schedules', 'post'> = {
  discard: 'false',
};
export const draftQuery: Query<'/v2/accounts/{account_id}/schedules', 'get'> = {
  mode: 'DRAFT',
  pageSize: 10,
};
export const finalize: Body<'/v2/accounts/{account_id}/finalize_schedules', 'post'> = {
  mergeSchedules: false,
  preActions: [
    {
      type: 'GRANT_LICENSE',
      config: { licenseId: 'seats', updateType: 'RELATIVE', quantity: '5' },
    },
  ],
};
// Query parameters with a default stay optional for the client.
export const firstPage: Query<'/v2/accounts/{account_id}/schedules', 'get'> = {};
export const firstPeriods: Query<'/v0/billingSchedules/{id}/periods', 'get'> = {};
export const cycles: Query<'/v2/accounts/{account_id}/schedules/{schedule_id}/pricing_cycles', 'get'> = {
  count: 12,
};
export const task: Body<'/v1/tasks/scheduled/schedule-update-billing-period', 'post'> = {
  asOf: '2024-06-01T00:00:00Z',
  dryRun: true,
};

// Each README request as a typed call: path, method, path parameters and body must fit the
// document (the calls are compiled, not run).
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
declare function call<P extends keyof paths, M extends Method & keyof paths[P]>(
  method: M,
  path: P,
  init: { params?: Record<string, string>; query?: Query<P, M>; body?: Body<P, M> },
): Promise<unknown>;
const id = { id: 'bs_x' };
const account = { account_id: 'ACC001' };
export const readme = [
  call('post', '/v0/billingSchedules', { body: create }),
  call('put', '/v0/billingSchedules/{id}/intervals', { params: id, body: intervals }),
  call('get', '/v0/billingSchedules/{id}/periods', { params: id }),
  call('post', '/v0/billingSchedules/{id}/invoices', { params: id }),
  call('get', '/v0/billingSchedules/{id}/invoices', { params: id }),
  call('patch', '/v0/billingSchedules/{id}', { params: id, body: activate }),
  call('get', '/v0/billingSchedules/{id}/events', { params: id }),
  call('get', '/v0/billingSchedules/{id}', { params: id, query: asOf }),
  call('get', '/v0/billingSchedules/{id}/intervals', { params: id, query: intervalsAsOf }),
  call('post', '/v2/accounts/{account_id}/edit_schedules', {
    params: account,
    query: editQuery,
    body: edit,
  }),
  call('get', '/v2/accounts/{account_id}/schedules', { params: account, query: draftQuery }),
  call('post', '/v2/accounts/{account_id}/finalize_schedules', { params: account, body: finalize }),
  call('get', '/v2/accounts/{account_id}/licenses', { params: account }),
  call('get', '/v2/accounts/{account_id}/schedules/{schedule_id}/pricing_cycles', {
    params: { ...account, schedule_id: 'sch.x' },
    query: cycles,
  }),
  call('delete', '/v2/accounts/{account_id}/discard_schedules', { params: account }),
  call('post', '/v1/tasks/scheduled/schedule-update-billing-period', { body: task }),
];

// Answers read as the README shows them.
export const amount = (p: Ok<'/v0/billingSchedules/{id}/periods', 'get', 200>): string =>
  p.data[0].amount;
export const nextToken = (
  f: Ok<'/v2/accounts/{account_id}/finalize_schedules', 'post', 200>,
): string | undefined => f.nextToken;
export const invoiceAmount = (
  i: Ok<'/v0/billingSchedules/{id}/invoices', 'post', 201>,
): string => i.data[0].amount;
export const fieldOf = (
  e: Ok<'/v0/billingSchedules', 'post', 400>,
): string | undefined => e.details.errors?.[0].field;
`;

describe('a client generated from /openapi.json with openapi-typescript', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp();
    dir = await mkdtemp(join(tmpdir(), 'openapi-client-'));
  });
  afterAll(async () => {
    await t.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('compiles with a typed version of every README example', async () => {
    const document = (await t.http().get('/openapi.json')).body;
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(document));
    // openapi-typescript is ESM; its programmatic API runs in a child Node process.
    const generate = `
      import openapiTS, { astToString } from 'openapi-typescript';
      import { readFileSync, writeFileSync } from 'node:fs';
      const ast = await openapiTS(JSON.parse(readFileSync(process.argv[1], 'utf8')));
      writeFileSync(process.argv[2], astToString(ast));
    `;
    await run(
      process.execPath,
      ['--input-type=module', '-e', generate, join(dir, 'openapi.json'), join(dir, 'api.ts')],
      { cwd: process.cwd() },
    );
    await writeFile(join(dir, 'readme-examples.ts'), README_EXAMPLES);
    const tsc = require.resolve('typescript/bin/tsc');
    const result = await run(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--target',
        'es2022',
        '--module',
        'commonjs',
        join(dir, 'readme-examples.ts'),
      ],
      { cwd: dir },
    ).catch((error: { stdout?: string; stderr?: string }) => error);
    expect({ stdout: result.stdout ?? '', stderr: result.stderr ?? '' }).toEqual({
      stdout: '',
      stderr: '',
    });
  }, 60_000);
});
