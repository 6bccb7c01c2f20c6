import type { Response } from 'supertest';
import { intervalBody, scheduleBody, startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 7: impossible instants are a 400 validation_error naming the field on every endpoint
 * that takes an instant (bodies, query strings, the task, Togai dates), and nothing changes.
 */

const BAD_INSTANTS = [
  ['offset +24:00', '2024-03-01T00:00:00+24:00'],
  ['offset +99:99', '2024-03-01T00:00:00+99:99'],
  ['hour 24', '2024-03-01T24:00:00Z'],
  ['year 0000', '0000-03-01T00:00:00Z'],
] as const;

type Json = Record<string, unknown>;

function expectFieldError(res: Response, field: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({
    status: 400,
    code: 'validation_error',
  });
  // Named exactly once: one rule, one error.
  const fields = res.body.details.errors.map((e: { field: string }) => e.field);
  expect(fields.filter((f: string) => f === field)).toEqual([field]);
}

describe('strict instants on every endpoint', () => {
  let t: TestApp;
  let scheduleId: string;
  beforeAll(async () => {
    t = await startTestApp();
    const created = await t.http().post('/v0/billingSchedules').set(t.auth()).send(scheduleBody());
    scheduleId = created.body.id;
  });
  afterAll(() => t.destroy());

  const withInterval = (overrides: Json) => ({ intervals: [intervalBody(overrides)] });
  const edit = (overrides: Json) => ({
    edits: [{ mode: 'DISASSOCIATE', effectiveFrom: '2024-07-04', ...overrides }],
  });

  const cases: [name: string, field: string, send: (bad: string) => Promise<Response>][] = [
    [
      'create startDate',
      'startDate',
      (bad) => post('/v0/billingSchedules', scheduleBody({ startDate: bad })),
    ],
    [
      'create endDate',
      'endDate',
      (bad) => post('/v0/billingSchedules', scheduleBody({ endDate: bad })),
    ],
    [
      'create billingAnchor',
      'billingAnchor',
      (bad) => post('/v0/billingSchedules', scheduleBody({ billingAnchor: bad })),
    ],
    [
      'create customPeriodWindows',
      'customPeriodWindows[0].endDate',
      (bad) =>
        post(
          '/v0/billingSchedules',
          scheduleBody({
            periodPreset: 'custom',
            customPeriodWindows: [{ startDate: '2024-01-01T00:00:00Z', endDate: bad }],
          }),
        ),
    ],
    ['PATCH startDate', 'startDate', (bad) => patch({ startDate: bad })],
    ['PATCH billingAnchor', 'billingAnchor', (bad) => patch({ billingAnchor: bad })],
    [
      'PUT intervals startDate',
      'intervals[0].startDate',
      (bad) => put(withInterval({ startDate: bad })),
    ],
    ['PUT intervals endDate', 'intervals[0].endDate', (bad) => put(withInterval({ endDate: bad }))],
    [
      'PUT intervals billDate',
      'intervals[0].billDate',
      (bad) => put(withInterval({ billDate: bad })),
    ],
    [
      'PUT intervals transition',
      'intervals[0].quantityTransitions[0].effectiveDate',
      (bad) => put(withInterval({ quantityTransitions: [{ effectiveDate: bad, quantity: '1' }] })),
    ],
    [
      'GET ?asOf',
      'asOf',
      (bad) =>
        t.http().get(`/v0/billingSchedules/${scheduleId}`).query({ asOf: bad }).set(t.auth()),
    ],
    [
      'task asOf',
      'asOf',
      (bad) => post('/v1/tasks/scheduled/schedule-update-billing-period', { asOf: bad }),
    ],
    [
      'Togai effectiveFrom',
      'edits[0].effectiveFrom',
      (bad) => post('/v2/accounts/ACC1/edit_schedules', edit({ effectiveFrom: bad })),
    ],
    [
      'Togai effectiveUntil',
      'edits[0].effectiveUntil',
      (bad) => post('/v2/accounts/ACC1/edit_schedules', edit({ effectiveUntil: bad })),
    ],
    [
      'Togai pre-action effectiveFrom',
      'preActions[0].config.effectiveFrom',
      (bad) =>
        post('/v2/accounts/ACC1/finalize_schedules', {
          preActions: [
            {
              type: 'GRANT_LICENSE',
              config: {
                licenseId: 'seats',
                updateType: 'ABSOLUTE',
                quantity: 1,
                effectiveFrom: bad,
              },
            },
          ],
        }),
    ],
  ];

  function post(path: string, body: Json) {
    return t.http().post(path).set(t.auth()).send(body);
  }
  function patch(body: Json) {
    return t.http().patch(`/v0/billingSchedules/${scheduleId}`).set(t.auth()).send(body);
  }
  function put(body: Json) {
    return t.http().put(`/v0/billingSchedules/${scheduleId}/intervals`).set(t.auth()).send(body);
  }

  describe.each(BAD_INSTANTS)('%s (%s)', (_label, bad) => {
    it.each(cases)('%s → 400 naming %s', async (_name, field, send) => {
      expectFieldError(await send(bad), field);
    });
  });

  it('the refused requests changed nothing', async () => {
    const schedule = await t.http().get(`/v0/billingSchedules/${scheduleId}`).set(t.auth());
    expect(schedule.body.version).toBe(1);
    const list = await t.http().get('/v0/billingSchedules').set(t.auth());
    expect(list.body.pagination.total).toBe(1);
    const draft = await t.http().get('/v2/accounts/ACC1/schedules?mode=DRAFT').set(t.auth());
    expect(draft.body.data).toEqual([]);
  });

  it('the task with a legal offset answers the instant in UTC', async () => {
    const res = await post('/v1/tasks/scheduled/schedule-update-billing-period', {
      asOf: '2024-03-01T23:30:00-23:59',
      dryRun: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.asOf).toBe('2024-03-02T23:29:00Z');
  });
});
