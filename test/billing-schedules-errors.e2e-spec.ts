import type { Response } from 'supertest';
import {
  intervalBody,
  scheduleBody,
  startTestApp,
  TENANT_A,
  TENANT_B,
  type TestApp,
} from './support/test-app';

/**
 * The error side of SPEC §2–3 for /v0/billingSchedules: auth, tenant isolation, field-level
 * validation, status rules, If-Match, idempotency, body limits, and hostile inputs. Every
 * error must be the one SPEC body `{code, message, http_status_code, details}`.
 */

type Json = Record<string, unknown>;
type FieldError = { field: string; message: string };

const BASE = '/v0/billingSchedules';
const ERROR_KEYS = ['code', 'details', 'http_status_code', 'message'];

/** Asserts the SPEC §2 error body; for a 400, that details.errors names `field` (when given). */
function expectError(res: Response, status: number, code: string, field?: string): void {
  // Status and body together, so a failure shows what the server actually answered.
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(res.body).sort()).toEqual(ERROR_KEYS);
  expect(res.body.http_status_code).toBe(status);
  expect(typeof res.body.message).toBe('string');
  expect(res.body.message.length).toBeGreaterThan(0);
  expect(res.body.details).toEqual(expect.any(Object));
  expect(Array.isArray(res.body.details)).toBe(false);
  expect(res.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  if (status === 400 && code === 'validation_error') {
    const errors = res.body.details.errors as FieldError[];
    expect(Array.isArray(errors)).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(Object.keys(error).sort()).toEqual(['field', 'message']);
      expect(typeof error.field).toBe('string');
      expect(typeof error.message).toBe('string');
    }
    if (field !== undefined) expect(errors.map((e) => e.field)).toContain(field);
  } else if (field !== undefined) {
    throw new Error(`a field path only applies to a 400 validation_error (got ${status} ${code})`);
  }
}

const fieldsOf = (res: Response): string[] =>
  ((res.body?.details?.errors ?? []) as FieldError[]).map((e) => e.field);

let seq = 0;
/** A fresh order id, so list totals in one test are not disturbed by another. */
const uniqueOrder = (prefix = 'ord') => `${prefix}_${Date.now().toString(36)}_${++seq}`;

describe('/v0/billingSchedules errors and limits (HTTP, embedded store)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  // ---------------------------------------------------------------- helpers

  const post = (body: unknown, key = TENANT_A.key) =>
    t
      .http()
      .post(BASE)
      .set(t.auth(key))
      .send(body as object);
  const get = (path: string, key = TENANT_A.key) => t.http().get(`${BASE}${path}`).set(t.auth(key));
  const patch = (
    id: string,
    body: unknown,
    headers: Record<string, string> = {},
    key = TENANT_A.key,
  ) =>
    t
      .http()
      .patch(`${BASE}/${id}`)
      .set(t.auth(key))
      .set(headers)
      .send(body as object);
  const put = (
    id: string,
    body: unknown,
    headers: Record<string, string> = {},
    key = TENANT_A.key,
  ) =>
    t
      .http()
      .put(`${BASE}/${id}/intervals`)
      .set(t.auth(key))
      .set(headers)
      .send(body as object);
  /** Sends a raw string as the body with the given content type. */
  const raw = (
    method: 'post' | 'put' | 'patch',
    path: string,
    text: string,
    type = 'application/json',
  ) => t.http()[method](`${BASE}${path}`).set(t.auth()).set('Content-Type', type).send(text);

  async function createSchedule(
    overrides: Json = {},
    key = TENANT_A.key,
  ): Promise<Json & { id: string }> {
    const res = await post(scheduleBody({ orderId: uniqueOrder(), ...overrides }), key);
    expect({ status: res.status, body: res.body }).toEqual({
      status: 201,
      body: expect.objectContaining({ id: expect.any(String) }),
    });
    return res.body;
  }

  async function withIntervals(overrides: Json = {}): Promise<Json & { id: string }> {
    const s = await createSchedule(overrides);
    const res = await put(s.id, { intervals: [intervalBody()] });
    expect(res.status).toBe(200);
    return (await get(`/${s.id}`)).body;
  }

  async function activeSchedule(overrides: Json = {}): Promise<Json & { id: string }> {
    const s = await withIntervals(overrides);
    const res = await patch(s.id, { status: 'active' });
    expect({ status: res.status, scheduleStatus: res.body.status }).toEqual({
      status: 200,
      scheduleStatus: 'active',
    });
    return res.body;
  }

  async function cancelledSchedule(): Promise<Json & { id: string }> {
    const s = await withIntervals();
    const res = await patch(s.id, { status: 'cancelled' });
    expect({ status: res.status, scheduleStatus: res.body.status }).toEqual({
      status: 200,
      scheduleStatus: 'cancelled',
    });
    return res.body;
  }

  async function eventsOf(
    id: string,
    key = TENANT_A.key,
  ): Promise<{ type: string; version: number }[]> {
    const res = await get(`/${id}/events?limit=100`, key);
    expect(res.status).toBe(200);
    return res.body.data;
  }

  async function totalFor(query: string, key = TENANT_A.key): Promise<number> {
    const res = await get(`?${query}`, key);
    expect(res.status).toBe(200);
    return res.body.pagination.total;
  }

  /** The whole observable state of a schedule: body, ETag, intervals, invoices and stream. */
  async function snapshot(id: string) {
    const [one, intervals, invoices, events] = await Promise.all([
      get(`/${id}`),
      get(`/${id}/intervals`),
      get(`/${id}/invoices`),
      get(`/${id}/events?limit=100`),
    ]);
    return {
      body: one.body,
      etag: one.headers.etag,
      intervals: intervals.body,
      invoices: invoices.body,
      events: events.body,
    };
  }

  // ---------------------------------------------------------------- 401

  describe('authentication (401 permission_denied)', () => {
    it('answers 401 permission_denied without an API key, on reads and writes', async () => {
      const s = await createSchedule();
      expectError(await t.http().get(BASE), 401, 'permission_denied');
      expectError(await t.http().get(`${BASE}/${s.id}`), 401, 'permission_denied');
      expectError(await t.http().post(BASE).send(scheduleBody()), 401, 'permission_denied');
      expectError(
        await t
          .http()
          .patch(`${BASE}/${s.id}`)
          .send({ metadata: { x: '1' } }),
        401,
        'permission_denied',
      );
      expectError(await t.http().delete(`${BASE}/${s.id}`), 401, 'permission_denied');
      expectError(
        await t.http().get(BASE).set('Authorization', 'Bearer '),
        401,
        'permission_denied',
      );
      expect((await get(`/${s.id}`)).body.version).toBe(1);
    });

    it('answers 401 permission_denied for an unknown key, as Bearer and as x-api-key', async () => {
      expectError(
        await t.http().get(BASE).set('Authorization', 'Bearer key_nobody'),
        401,
        'permission_denied',
      );
      expectError(
        await t.http().get(BASE).set('x-api-key', 'key_nobody'),
        401,
        'permission_denied',
      );
      expectError(
        await t.http().post(BASE).set('x-api-key', 'key_nobody').send(scheduleBody()),
        401,
        'permission_denied',
      );
      // A tenant name is not a key.
      expectError(
        await t.http().get(BASE).set('Authorization', `Bearer ${TENANT_A.tenant}`),
        401,
        'permission_denied',
      );
    });

    it('accepts the key as Authorization: Bearer and as x-api-key, each mapping to its tenant', async () => {
      const created = await t
        .http()
        .post(BASE)
        .set('x-api-key', TENANT_B.key)
        .send(scheduleBody({ orderId: uniqueOrder() }));
      expect(created.status).toBe(201);
      expect(created.body.merchantId).toBe(TENANT_B.tenant);
      const viaBearer = await t
        .http()
        .get(`${BASE}/${created.body.id}`)
        .set('Authorization', `Bearer ${TENANT_B.key}`);
      expect(viaBearer.status).toBe(200);
      expect(viaBearer.body.id).toBe(created.body.id);
      const viaApiKey = await t
        .http()
        .get(`${BASE}/${created.body.id}`)
        .set('x-api-key', TENANT_B.key);
      expect(viaApiKey.status).toBe(200);
      expect(viaApiKey.body).toEqual(viaBearer.body);
    });

    it('serves the ops endpoint /health/live without a key (and ignores a bad one)', async () => {
      const live = await t.http().get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('ok');
      expect((await t.http().get('/health/live').set('x-api-key', 'key_nobody')).status).toBe(200);
    });
  });

  // ---------------------------------------------------------------- tenant isolation

  describe('tenant isolation', () => {
    let a: Json & { id: string };
    beforeAll(async () => {
      a = await withIntervals({ orderId: 'ord_isolation_a', metadata: { owner: 'a' } });
      expect((await t.http().post(`${BASE}/${a.id}/invoices`).set(t.auth())).status).toBe(201);
    });

    const asB = () => t.auth(TENANT_B.key);
    const cases: [string, () => PromiseLike<Response>][] = [
      ['GET /{id}', () => t.http().get(`${BASE}/${a.id}`).set(asB())],
      [
        'PATCH /{id}',
        () =>
          t
            .http()
            .patch(`${BASE}/${a.id}`)
            .set(asB())
            .send({ metadata: { owner: 'b' } }),
      ],
      [
        'PATCH /{id} with a matching If-Match',
        () =>
          t
            .http()
            .patch(`${BASE}/${a.id}`)
            .set(asB())
            .set('If-Match', '"3"')
            .send({ metadata: { owner: 'b' } }),
      ],
      ['DELETE /{id}', () => t.http().delete(`${BASE}/${a.id}`).set(asB())],
      ['GET /{id}/intervals', () => t.http().get(`${BASE}/${a.id}/intervals`).set(asB())],
      [
        'PUT /{id}/intervals',
        () =>
          t
            .http()
            .put(`${BASE}/${a.id}/intervals`)
            .set(asB())
            .send({ intervals: [intervalBody()] }),
      ],
      ['GET /{id}/periods', () => t.http().get(`${BASE}/${a.id}/periods`).set(asB())],
      ['POST /{id}/invoices', () => t.http().post(`${BASE}/${a.id}/invoices`).set(asB())],
      ['GET /{id}/invoices', () => t.http().get(`${BASE}/${a.id}/invoices`).set(asB())],
      ['GET /{id}/events', () => t.http().get(`${BASE}/${a.id}/events`).set(asB())],
      [
        'GET /{id}?asOf',
        () => t.http().get(`${BASE}/${a.id}`).query({ asOf: new Date().toISOString() }).set(asB()),
      ],
    ];

    it.each(cases)("tenant B gets 404 not_found for A's schedule on %s", async (_name, call) => {
      expectError(await call(), 404, 'not_found');
      // The same call with A's key works (so the 404 is about the tenant, not the route).
      expect((await get(`/${a.id}`)).status).toBe(200);
    });

    it("tenant B's list never includes A's schedules, with or without filters", async () => {
      const b = await createSchedule({ orderId: 'ord_isolation_a' }, TENANT_B.key);
      const listB = await get('?limit=100', TENANT_B.key);
      expect(listB.status).toBe(200);
      const idsB = listB.body.data.map((s: Json) => s.id);
      expect(idsB).toContain(b.id);
      expect(idsB).not.toContain(a.id);
      expect(listB.body.data.every((s: Json) => s.merchantId === TENANT_B.tenant)).toBe(true);
      expect(listB.body.pagination.total).toBe(listB.body.data.length);

      const byOrder = await get('?orderId=ord_isolation_a', TENANT_B.key);
      expect(byOrder.body.data.map((s: Json) => s.id)).toEqual([b.id]);
      expect(byOrder.body.pagination.total).toBe(1);
      const byOrderA = await get('?orderId=ord_isolation_a');
      expect(byOrderA.body.data.map((s: Json) => s.id)).toEqual([a.id]);
    });

    it("A's schedule is unchanged after B's attempts to write to it (same version, intervals, invoices, stream)", async () => {
      const before = await snapshot(a.id);
      expect(before.etag).toBe(`"${before.body.version}"`);
      const b = t.auth(TENANT_B.key);
      expect(
        (await t.http().patch(`${BASE}/${a.id}`).set(b).send({ status: 'cancelled' })).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .patch(`${BASE}/${a.id}`)
            .set(b)
            .send({ metadata: { owner: 'b' } })
        ).status,
      ).toBe(404);
      expect(
        (await t.http().put(`${BASE}/${a.id}/intervals`).set(b).send({ intervals: [] })).status,
      ).toBe(404);
      expect((await t.http().post(`${BASE}/${a.id}/invoices`).set(b)).status).toBe(404);
      expect((await t.http().delete(`${BASE}/${a.id}`).set(b)).status).toBe(404);
      const after = await snapshot(a.id);
      expect(after).toEqual(before);
      expect(after.body).toMatchObject({
        status: 'draft',
        metadata: { owner: 'a' },
        merchantId: TENANT_A.tenant,
      });
    });
  });

  // ---------------------------------------------------------------- 400 on create / patch

  describe('400 validation_error: schedule fields', () => {
    it('rejects a create missing its required fields, naming each one', async () => {
      const res = await post({ orderId: uniqueOrder() });
      expectError(res, 400, 'validation_error', 'startDate');
      expect(fieldsOf(res)).toEqual(
        expect.arrayContaining(['startDate', 'endDate', 'billingAnchor']),
      );
      expectError(
        await post({ ...scheduleBody(), billingAnchor: undefined }),
        400,
        'validation_error',
        'billingAnchor',
      );
    });

    it.each([
      ['a date without a time', '2024-01-01'],
      ['month 13', '2024-13-01T00:00:00Z'],
      ['30 February', '2024-02-30T00:00:00Z'],
      ['no offset', '2024-01-01T00:00:00'],
      ['a space instead of T', '2024-01-01 00:00:00Z'],
      ['epoch millis', 1704067200000],
    ])('rejects a non-RFC 3339 startDate (%s)', async (_name, value) => {
      expectError(
        await post(scheduleBody({ startDate: value })),
        400,
        'validation_error',
        'startDate',
      );
    });

    it('rejects non-RFC 3339 endDate and billingAnchor too, and accepts an explicit offset', async () => {
      expectError(
        await post(scheduleBody({ endDate: '2025-01-01' })),
        400,
        'validation_error',
        'endDate',
      );
      expectError(
        await post(scheduleBody({ billingAnchor: '2024-01-01T00:00:00' })),
        400,
        'validation_error',
        'billingAnchor',
      );
      const ok = await post(
        scheduleBody({ orderId: uniqueOrder(), startDate: '2024-01-01T05:30:00+05:30' }),
      );
      expect(ok.status).toBe(201);
      expect(ok.body.startDate).toBe('2024-01-01T00:00:00Z');
    });

    it('rejects an unknown top-level field', async () => {
      const orderId = uniqueOrder();
      const res = await post(scheduleBody({ orderId, colour: 'red' }));
      expectError(res, 400, 'validation_error', 'colour');
      expect(await totalFor(`orderId=${orderId}`)).toBe(0);
      // status is a PATCH field, not a create field; id and merchantId are the server's.
      expectError(
        await post(scheduleBody({ status: 'active' })),
        400,
        'validation_error',
        'status',
      );
      expectError(
        await post(scheduleBody({ merchantId: TENANT_B.tenant })),
        400,
        'validation_error',
        'merchantId',
      );
      const s = await createSchedule();
      expectError(await patch(s.id, { colour: 'red' }), 400, 'validation_error', 'colour');
    });

    it('rejects an unknown nested field inside an interval, a transition and a custom window', async () => {
      const s = await createSchedule();
      expectError(
        await put(s.id, { intervals: [intervalBody(), intervalBody({ colour: 'red' })] }),
        400,
        'validation_error',
        'intervals[1].colour',
      );
      expectError(
        await put(s.id, {
          intervals: [
            intervalBody({
              quantityTransitions: [
                { effectiveDate: '2024-06-01T00:00:00Z', quantity: '3', note: 'x' },
              ],
            }),
          ],
        }),
        400,
        'validation_error',
        'intervals[0].quantityTransitions[0].note',
      );
      expectError(
        await put(s.id, { intervals: [intervalBody()], extra: true }),
        400,
        'validation_error',
        'extra',
      );
      expectError(
        await post(
          scheduleBody({
            periodPreset: 'custom',
            customPeriodWindows: [
              { startDate: '2024-01-01T00:00:00Z', endDate: '2025-01-01T00:00:00Z', label: 'y1' },
            ],
          }),
        ),
        400,
        'validation_error',
        'customPeriodWindows[0].label',
      );
      expect((await get(`/${s.id}/intervals`)).body.data).toEqual([]);
    });

    it('rejects a malformed JSON body', async () => {
      expectError(
        await raw('post', '', '{"startDate": "2024-01-01T00:00:00Z",'),
        400,
        'validation_error',
        'body',
      );
      const s = await createSchedule();
      expectError(
        await raw('patch', `/${s.id}`, "{metadata: {'a': 1}}"),
        400,
        'validation_error',
        'body',
      );
      expectError(
        await raw('put', `/${s.id}/intervals`, '{"intervals": [}'),
        400,
        'validation_error',
        'body',
      );
    });

    it('rejects neither and both of orderId / subscriptionId', async () => {
      const { orderId: _ignored, ...noIds } = scheduleBody();
      expectError(await post(noIds), 400, 'validation_error', 'orderId');
      expectError(
        await post({ ...noIds, orderId: null, subscriptionId: null }),
        400,
        'validation_error',
        'orderId',
      );
      expectError(
        await post(scheduleBody({ subscriptionId: 'sub_1' })),
        400,
        'validation_error',
        'orderId',
      );
      expectError(await post(scheduleBody({ orderId: '' })), 400, 'validation_error', 'orderId');
      // PATCH: clearing the only id leaves neither.
      const s = await createSchedule();
      expectError(await patch(s.id, { orderId: null }), 400, 'validation_error', 'orderId');
      expectError(
        await patch(s.id, { subscriptionId: 'sub_2' }),
        400,
        'validation_error',
        'orderId',
      );
      // Swapping one for the other is fine.
      const swapped = await patch(s.id, { orderId: null, subscriptionId: 'sub_2' });
      expect(swapped.status).toBe(200);
      expect(swapped.body).toMatchObject({ orderId: null, subscriptionId: 'sub_2' });
    });

    it('rejects endDate ≤ startDate on create and on PATCH', async () => {
      expectError(
        await post(scheduleBody({ endDate: '2024-01-01T00:00:00Z' })),
        400,
        'validation_error',
        'endDate',
      );
      expectError(
        await post(scheduleBody({ endDate: '2023-06-01T00:00:00Z' })),
        400,
        'validation_error',
        'endDate',
      );
      // Same instant written with another offset is still equal.
      expectError(
        await post(scheduleBody({ endDate: '2024-01-01T01:00:00+01:00' })),
        400,
        'validation_error',
        'endDate',
      );
      const s = await createSchedule();
      expectError(
        await patch(s.id, { endDate: '2023-12-31T00:00:00Z' }),
        400,
        'validation_error',
        'endDate',
      );
      expect((await get(`/${s.id}`)).body.endDate).toBe('2025-01-01T00:00:00Z');
    });

    it('rejects an invalid timezone (Mars/Base) and accepts a real IANA zone', async () => {
      expectError(
        await post(scheduleBody({ timezone: 'Mars/Base' })),
        400,
        'validation_error',
        'timezone',
      );
      expectError(await post(scheduleBody({ timezone: '' })), 400, 'validation_error', 'timezone');
      expectError(await post(scheduleBody({ timezone: 42 })), 400, 'validation_error', 'timezone');
      const s = await createSchedule({ timezone: 'Europe/Berlin' });
      expect(s.timezone).toBe('Europe/Berlin');
      expectError(
        await patch(s.id, { timezone: 'Mars/Base' }),
        400,
        'validation_error',
        'timezone',
      );
    });

    it.each([
      ['alignmentPolicy', 'monthly'],
      ['alignmentPolicy', 'ANCHOR'],
      ['periodPreset', 'P2M'],
      ['periodPreset', 'monthly'],
      ['prorationPolicy', 'hourly'],
      ['prorationPolicy', null],
    ])('rejects a bad enum value on create: %s = %p', async (field, value) => {
      expectError(await post(scheduleBody({ [field]: value })), 400, 'validation_error', field);
    });

    it('rejects bad enum values for billingMode (interval) and status (PATCH)', async () => {
      const s = await createSchedule();
      expectError(
        await put(s.id, { intervals: [intervalBody({ billingMode: 'later' })] }),
        400,
        'validation_error',
        'intervals[0].billingMode',
      );
      expectError(await patch(s.id, { status: 'paused' }), 400, 'validation_error', 'status');
      expectError(await patch(s.id, { status: 'ACTIVE' }), 400, 'validation_error', 'status');
      expectError(await get('?status=paused'), 400, 'validation_error', 'status');
      expect((await get(`/${s.id}`)).body).toMatchObject({ status: 'draft', version: 1 });
    });

    describe('custom period windows', () => {
      const custom = (windows: { startDate: string; endDate: string }[], overrides: Json = {}) =>
        post(
          scheduleBody({
            orderId: uniqueOrder(),
            periodPreset: 'custom',
            customPeriodWindows: windows,
            ...overrides,
          }),
        );

      it('accepts windows that exactly tile [startDate, endDate)', async () => {
        const res = await custom([
          { startDate: '2024-01-01T00:00:00Z', endDate: '2024-07-01T00:00:00Z' },
          { startDate: '2024-07-01T00:00:00Z', endDate: '2025-01-01T00:00:00Z' },
        ]);
        expect(res.status).toBe(201);
        expect(res.body.customPeriodWindows).toHaveLength(2);
      });

      it('rejects a gap between windows', async () => {
        const res = await custom([
          { startDate: '2024-01-01T00:00:00Z', endDate: '2024-06-01T00:00:00Z' },
          { startDate: '2024-07-01T00:00:00Z', endDate: '2025-01-01T00:00:00Z' },
        ]);
        expectError(res, 400, 'validation_error', 'customPeriodWindows[1].startDate');
      });

      it('rejects overlapping windows', async () => {
        const res = await custom([
          { startDate: '2024-01-01T00:00:00Z', endDate: '2024-08-01T00:00:00Z' },
          { startDate: '2024-07-01T00:00:00Z', endDate: '2025-01-01T00:00:00Z' },
        ]);
        expectError(res, 400, 'validation_error', 'customPeriodWindows[1].startDate');
      });

      it('rejects windows that do not start at startDate or do not end at endDate', async () => {
        expectError(
          await custom([{ startDate: '2024-02-01T00:00:00Z', endDate: '2025-01-01T00:00:00Z' }]),
          400,
          'validation_error',
          'customPeriodWindows[0].startDate',
        );
        expectError(
          await custom([
            { startDate: '2024-01-01T00:00:00Z', endDate: '2024-07-01T00:00:00Z' },
            { startDate: '2024-07-01T00:00:00Z', endDate: '2024-12-01T00:00:00Z' },
          ]),
          400,
          'validation_error',
          'customPeriodWindows[1].endDate',
        );
      });

      it('rejects out-of-order and empty windows, and a custom preset without windows', async () => {
        expectError(
          await custom([
            { startDate: '2024-07-01T00:00:00Z', endDate: '2025-01-01T00:00:00Z' },
            { startDate: '2024-01-01T00:00:00Z', endDate: '2024-07-01T00:00:00Z' },
          ]),
          400,
          'validation_error',
          'customPeriodWindows[0].startDate',
        );
        expectError(
          await custom([
            { startDate: '2024-01-01T00:00:00Z', endDate: '2024-01-01T00:00:00Z' },
            { startDate: '2024-01-01T00:00:00Z', endDate: '2025-01-01T00:00:00Z' },
          ]),
          400,
          'validation_error',
          'customPeriodWindows[0].endDate',
        );
        expectError(await custom([]), 400, 'validation_error', 'customPeriodWindows');
        expectError(
          await custom([{ startDate: '2024-01-01', endDate: '2025-01-01T00:00:00Z' }]),
          400,
          'validation_error',
          'customPeriodWindows[0].startDate',
        );
      });

      it('rejects windows given with a non-custom preset', async () => {
        const windows = [{ startDate: '2024-01-01T00:00:00Z', endDate: '2025-01-01T00:00:00Z' }];
        expectError(
          await custom(windows, { periodPreset: 'P1M' }),
          400,
          'validation_error',
          'customPeriodWindows',
        );
        expectError(
          await custom(windows, { periodPreset: undefined }),
          400,
          'validation_error',
          'customPeriodWindows',
        );
        const s = await createSchedule();
        expectError(
          await patch(s.id, { customPeriodWindows: windows }),
          400,
          'validation_error',
          'customPeriodWindows',
        );
      });
    });

    it('rejects metadata over the limits (51 keys, a 41-char key, a 501-char value) and accepts them at the limit', async () => {
      const keys = (n: number) =>
        Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
      expectError(
        await post(scheduleBody({ metadata: keys(51) })),
        400,
        'validation_error',
        'metadata',
      );
      expectError(
        await post(scheduleBody({ metadata: { ['k'.repeat(41)]: 'v' } })),
        400,
        'validation_error',
        'metadata',
      );
      expectError(
        await post(scheduleBody({ metadata: { note: 'v'.repeat(501) } })),
        400,
        'validation_error',
        'metadata',
      );
      expectError(
        await post(scheduleBody({ metadata: ['a', 'b'] })),
        400,
        'validation_error',
        'metadata',
      );
      expectError(
        await post(scheduleBody({ metadata: 'team=finance' })),
        400,
        'validation_error',
        'metadata',
      );
      const atLimit = await post(
        scheduleBody({
          orderId: uniqueOrder(),
          metadata: { ...keys(48), ['k'.repeat(40)]: 'v', note: 'v'.repeat(500) },
        }),
      );
      expect(atLimit.status).toBe(201);
      expect(Object.keys(atLimit.body.metadata)).toHaveLength(50);
      // Same limits on an interval's metadata and on PATCH.
      expectError(
        await put(atLimit.body.id, { intervals: [intervalBody({ metadata: keys(51) })] }),
        400,
        'validation_error',
        'intervals[0].metadata',
      );
      expectError(
        await patch(atLimit.body.id, { metadata: { note: 'v'.repeat(501) } }),
        400,
        'validation_error',
        'metadata',
      );
    });

    it('rejects a PATCH setting a required field to null (startDate, endDate, billingAnchor, metadata, timezone, status)', async () => {
      const s = await createSchedule();
      for (const field of [
        'startDate',
        'endDate',
        'billingAnchor',
        'metadata',
        'timezone',
        'status',
        'alignmentPolicy',
        'periodPreset',
      ]) {
        expectError(await patch(s.id, { [field]: null }), 400, 'validation_error', field);
      }
      const after = await get(`/${s.id}`);
      expect(after.body).toMatchObject({
        version: 1,
        startDate: '2024-01-01T00:00:00Z',
        metadata: {},
        timezone: 'UTC',
      });
      // A nullable field may be nulled.
      const nulled = await patch(s.id, { paymentTermDays: null });
      expect(nulled.status).toBe(200);
    });

    it('rejects a bad paymentTermDays (negative, fractional, a string)', async () => {
      expectError(
        await post(scheduleBody({ paymentTermDays: -1 })),
        400,
        'validation_error',
        'paymentTermDays',
      );
      expectError(
        await post(scheduleBody({ paymentTermDays: 1.5 })),
        400,
        'validation_error',
        'paymentTermDays',
      );
      expectError(
        await post(scheduleBody({ paymentTermDays: '30' })),
        400,
        'validation_error',
        'paymentTermDays',
      );
    });
  });

  // ---------------------------------------------------------------- 400 on intervals

  describe('400 validation_error: intervals (PUT)', () => {
    let s: Json & { id: string };
    beforeAll(async () => {
      s = await createSchedule();
    });
    const putOne = (overrides: Json) => put(s.id, { intervals: [intervalBody(overrides)] });

    it('rejects an interval missing its required fields', async () => {
      const res = await put(s.id, { intervals: [{ unitPrice: '1' }] });
      expectError(res, 400, 'validation_error', 'intervals[0].baseQuantity');
      expect(fieldsOf(res)).toEqual(
        expect.arrayContaining([
          'intervals[0].baseQuantity',
          'intervals[0].billingCadence',
          'intervals[0].startDate',
          'intervals[0].endDate',
        ]),
      );
      expectError(await put(s.id, {}), 400, 'validation_error', 'intervals');
    });

    it.each([
      ['two decimal points', '1.2.3'],
      ['exponent notation', '1e5'],
      ['13 decimals', '1.0000000000001'],
      ['21 integer digits', '123456789012345678901'],
      ['a JSON number', 12.5],
      ['a leading plus', '+1'],
      ['an empty string', ''],
    ])('rejects a unitPrice that is not a decimal string (%s)', async (_name, unitPrice) => {
      expectError(await putOne({ unitPrice }), 400, 'validation_error', 'intervals[0].unitPrice');
    });

    it('accepts a negative unitPrice and 12 decimals', async () => {
      const res = await put(s.id, {
        intervals: [
          intervalBody({ unitPrice: '-10.50' }),
          intervalBody({ unitPrice: '0.000000000001' }),
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.data.map((i: Json) => i.unitPrice)).toEqual(['-10.50', '0.000000000001']);
    });

    it('rejects negative (and malformed) quantities in baseQuantity and in transitions', async () => {
      expectError(
        await putOne({ baseQuantity: '-1' }),
        400,
        'validation_error',
        'intervals[0].baseQuantity',
      );
      expectError(
        await putOne({ baseQuantity: '-0.5' }),
        400,
        'validation_error',
        'intervals[0].baseQuantity',
      );
      expectError(
        await putOne({ baseQuantity: 3 }),
        400,
        'validation_error',
        'intervals[0].baseQuantity',
      );
      expectError(
        await putOne({
          quantityTransitions: [{ effectiveDate: '2024-06-01T00:00:00Z', quantity: '-2' }],
        }),
        400,
        'validation_error',
        'intervals[0].quantityTransitions[0].quantity',
      );
      const zero = await putOne({ baseQuantity: '0' });
      expect(zero.status).toBe(200);
    });

    it.each(['P1H', 'PT1H', 'monthly', 'P0M', 'P1M2D', 'p1m', '', 'P-1M', 'one-off'])(
      'rejects billingCadence %p',
      async (billingCadence) => {
        expectError(
          await putOne({ billingCadence }),
          400,
          'validation_error',
          'intervals[0].billingCadence',
        );
      },
    );

    it('accepts billingCadence one_off and its synonym P0D (and the documented recurring forms)', async () => {
      const cadences = ['one_off', 'P0D', 'P1M', 'P3M', 'P1Y', 'P2W', 'P30D'];
      const res = await put(s.id, {
        intervals: cadences.map((billingCadence) => intervalBody({ billingCadence })),
      });
      expect(res.status).toBe(200);
      expect(res.body.data.map((i: Json) => i.billingCadence)).toEqual(cadences);
      expect((await get(`/${s.id}/periods`)).status).toBe(200);
    });

    it('rejects an interval outside the schedule, or ending before it starts', async () => {
      expectError(
        await putOne({ startDate: '2023-12-01T00:00:00Z' }),
        400,
        'validation_error',
        'intervals[0].startDate',
      );
      expectError(
        await putOne({ endDate: '2025-02-01T00:00:00Z' }),
        400,
        'validation_error',
        'intervals[0].endDate',
      );
      expectError(
        await putOne({ startDate: '2025-01-01T00:00:00Z', endDate: '2025-02-01T00:00:00Z' }),
        400,
        'validation_error',
        'intervals[0].startDate',
      );
      expectError(
        await putOne({ endDate: '2024-01-01T00:00:00Z' }),
        400,
        'validation_error',
        'intervals[0].endDate',
      );
      expectError(
        await putOne({ startDate: '2024-01-01' }),
        400,
        'validation_error',
        'intervals[0].startDate',
      );
      expectError(
        await putOne({ billDate: '2025-03-01T00:00:00Z' }),
        400,
        'validation_error',
        'intervals[0].billDate',
      );
    });

    it('rejects transitions that are not strictly increasing', async () => {
      const increasingThenBack = [
        { effectiveDate: '2024-03-01T00:00:00Z', quantity: '3' },
        { effectiveDate: '2024-02-01T00:00:00Z', quantity: '4' },
      ];
      expectError(
        await putOne({ quantityTransitions: increasingThenBack }),
        400,
        'validation_error',
        'intervals[0].quantityTransitions[1].effectiveDate',
      );
      const equal = [
        { effectiveDate: '2024-03-01T00:00:00Z', quantity: '3' },
        { effectiveDate: '2024-03-01T00:00:00Z', quantity: '4' },
      ];
      expectError(
        await putOne({ quantityTransitions: equal }),
        400,
        'validation_error',
        'intervals[0].quantityTransitions[1].effectiveDate',
      );
    });

    it('rejects transitions outside the interval [startDate, endDate)', async () => {
      const interval = { startDate: '2024-02-01T00:00:00Z', endDate: '2024-06-01T00:00:00Z' };
      expectError(
        await putOne({
          ...interval,
          quantityTransitions: [{ effectiveDate: '2024-01-15T00:00:00Z', quantity: '3' }],
        }),
        400,
        'validation_error',
        'intervals[0].quantityTransitions[0].effectiveDate',
      );
      expectError(
        await putOne({
          ...interval,
          quantityTransitions: [{ effectiveDate: '2024-06-01T00:00:00Z', quantity: '3' }],
        }),
        400,
        'validation_error',
        'intervals[0].quantityTransitions[0].effectiveDate',
      );
      expectError(
        await putOne({
          ...interval,
          quantityTransitions: [{ effectiveDate: '2024-03-01', quantity: '3' }],
        }),
        400,
        'validation_error',
        'intervals[0].quantityTransitions[0].effectiveDate',
      );
    });

    it('rejects more than 1000 intervals and accepts exactly 1000', async () => {
      const interval = intervalBody();
      expectError(
        await put(s.id, { intervals: Array.from({ length: 1001 }, () => interval) }),
        400,
        'validation_error',
        'intervals',
      );
      const ok = await put(s.id, { intervals: Array.from({ length: 1000 }, () => interval) });
      expect(ok.status).toBe(200);
      // The answer is the first page of the resulting set (SPEC §2 /v0 list rules).
      expect(ok.body.data).toHaveLength(50);
      expect(ok.body.pagination).toEqual({ limit: 50, offset: 0, total: 1000 });
    });

    it('rejects more than 100 transitions and accepts exactly 100', async () => {
      const day = (i: number) =>
        new Date(Date.UTC(2024, 0, 2 + i)).toISOString().replace('.000Z', 'Z');
      const transitions = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ effectiveDate: day(i), quantity: String(i) }));
      expectError(
        await putOne({ quantityTransitions: transitions(101) }),
        400,
        'validation_error',
        'intervals[0].quantityTransitions',
      );
      const ok = await putOne({ quantityTransitions: transitions(100) });
      expect(ok.status).toBe(200);
      expect(ok.body.data[0].quantityTransitions).toHaveLength(100);
    });

    it('rejects an orderLineItemId-scoped PUT whose item names another line, keeping the other lines', async () => {
      const scoped = await createSchedule();
      const first = await put(scoped.id, {
        intervals: [
          intervalBody({ orderLineItemId: 'line_a' }),
          intervalBody({ orderLineItemId: 'line_b' }),
        ],
      });
      expect(first.status).toBe(200);
      const res = await put(scoped.id, {
        orderLineItemId: 'line_a',
        intervals: [intervalBody({ orderLineItemId: 'line_b' })],
      });
      expectError(res, 400, 'validation_error', 'intervals[0].orderLineItemId');
      expect((await get(`/${scoped.id}/intervals`)).body.data).toEqual(first.body.data);
      expectError(
        await put(scoped.id, { orderLineItemId: '', intervals: [] }),
        400,
        'validation_error',
        'orderLineItemId',
      );
    });
  });

  // ---------------------------------------------------------------- 400 on queries

  describe('400 validation_error: query parameters', () => {
    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['offset=-1', 'offset'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['offset=x', 'offset'],
    ])('rejects pagination %s on the list', async (query, field) => {
      expectError(await get(`?${query}`), 400, 'validation_error', field);
    });

    it('accepts the pagination bounds limit=1, limit=100, offset=0', async () => {
      const res = await get('?limit=100&offset=0');
      expect(res.status).toBe(200);
      expect(res.body.pagination).toMatchObject({ limit: 100, offset: 0 });
      expect((await get('?limit=1')).body.data.length).toBeLessThanOrEqual(1);
    });

    it('rejects bad pagination on the per-schedule lists too (intervals, periods, invoices, events)', async () => {
      const s = await withIntervals();
      for (const sub of ['intervals', 'periods', 'invoices', 'events']) {
        expectError(await get(`/${s.id}/${sub}?limit=0`), 400, 'validation_error', 'limit');
        expectError(await get(`/${s.id}/${sub}?offset=-1`), 400, 'validation_error', 'offset');
      }
    });

    it.each(['yesterday', '2024-01-01', '2024-01-01T00:00:00', ''])(
      'rejects asOf=%p',
      async (asOf) => {
        const s = await createSchedule();
        expectError(
          await get(`/${s.id}?asOf=${encodeURIComponent(asOf)}`),
          400,
          'validation_error',
          'asOf',
        );
      },
    );
  });

  // ---------------------------------------------------------------- 409 invalid_operation

  describe('409 invalid_operation: status rules', () => {
    it('refuses draft → active with no intervals, and the schedule stays a draft', async () => {
      const s = await createSchedule();
      expectError(await patch(s.id, { status: 'active' }), 409, 'invalid_operation');
      expect((await get(`/${s.id}`)).body).toMatchObject({
        status: 'draft',
        version: 1,
        currentPeriodStart: null,
      });
      // Emptying the intervals again also blocks activation.
      await put(s.id, { intervals: [intervalBody()] });
      await put(s.id, { intervals: [] });
      expectError(await patch(s.id, { status: 'active' }), 409, 'invalid_operation');
    });

    it('refuses PATCH status completed, from draft and from active', async () => {
      const draft = await withIntervals();
      expectError(await patch(draft.id, { status: 'completed' }), 409, 'invalid_operation');
      const active = await activeSchedule();
      expectError(await patch(active.id, { status: 'completed' }), 409, 'invalid_operation');
      expect((await get(`/${active.id}`)).body.status).toBe('active');
    });

    it('refuses cancelled → active', async () => {
      const s = await cancelledSchedule();
      expectError(await patch(s.id, { status: 'active' }), 409, 'invalid_operation');
      expect((await get(`/${s.id}`)).body.status).toBe('cancelled');
    });

    it('refuses cancelled → draft', async () => {
      const s = await cancelledSchedule();
      expectError(await patch(s.id, { status: 'draft' }), 409, 'invalid_operation');
      expect((await get(`/${s.id}`)).body.status).toBe('cancelled');
    });

    it('refuses active → draft', async () => {
      const s = await activeSchedule();
      expectError(await patch(s.id, { status: 'draft' }), 409, 'invalid_operation');
      expect((await get(`/${s.id}`)).body.status).toBe('active');
    });

    it.each([
      ['startDate', '2023-12-01T00:00:00Z'],
      ['endDate', '2025-06-01T00:00:00Z'],
      ['billingAnchor', '2024-01-15T00:00:00Z'],
      ['timezone', 'Europe/Berlin'],
      ['periodPreset', 'P3M'],
      ['alignmentPolicy', 'calendar'],
      ['prorationPolicy', 'daily'],
    ])(
      'refuses changing the period-shaping field %s on an active schedule',
      async (field, value) => {
        const s = await activeSchedule();
        expectError(await patch(s.id, { [field]: value }), 409, 'invalid_operation');
        // Not even bundled with an allowed change.
        expectError(
          await patch(s.id, { [field]: value, metadata: { x: '1' } }),
          409,
          'invalid_operation',
        );
        const after = await get(`/${s.id}`);
        expect(after.body.version).toBe(s.version);
        expect(after.body[field]).toBe(s[field]);
      },
    );

    it('still changes metadata and paymentTermDays on an active schedule', async () => {
      const s = await activeSchedule();
      const res = await patch(s.id, { metadata: { po: 'PO-1' }, paymentTermDays: 15 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'active',
        metadata: { po: 'PO-1' },
        paymentTermDays: 15,
        version: (s.version as number) + 1,
      });
      // Re-sending an unchanged shaping field is not a change.
      const same = await patch(s.id, { startDate: s.startDate, metadata: { po: 'PO-2' } });
      expect(same.status).toBe(200);
      expect(same.body.metadata).toEqual({ po: 'PO-2' });
    });

    it('refuses any change on a cancelled schedule', async () => {
      const s = await cancelledSchedule();
      expectError(await patch(s.id, { metadata: { late: 'yes' } }), 409, 'invalid_operation');
      expectError(await patch(s.id, { paymentTermDays: 30 }), 409, 'invalid_operation');
      expectError(await patch(s.id, { alignmentPolicy: 'calendar' }), 409, 'invalid_operation');
      expectError(await patch(s.id, { orderId: 'ord_other' }), 409, 'invalid_operation');
      const after = await get(`/${s.id}`);
      expect(after.body).toMatchObject({ version: s.version, metadata: {}, paymentTermDays: null });
    });

    it('refuses PUT intervals on a cancelled schedule', async () => {
      const s = await cancelledSchedule();
      const before = (await get(`/${s.id}/intervals`)).body.data;
      expectError(
        await put(s.id, { intervals: [intervalBody({ baseQuantity: '9' })] }),
        409,
        'invalid_operation',
      );
      expectError(await put(s.id, { intervals: [] }), 409, 'invalid_operation');
      expect((await get(`/${s.id}/intervals`)).body.data).toEqual(before);
    });

    it('accepts PUT intervals on an active schedule', async () => {
      const s = await activeSchedule();
      const res = await put(s.id, { intervals: [intervalBody({ baseQuantity: '5' })] });
      expect(res.status).toBe(200);
      expect(res.body.data[0].baseQuantity).toBe('5');
    });

    it('refuses POST invoices on a schedule with no intervals', async () => {
      const s = await createSchedule();
      expectError(
        await t.http().post(`${BASE}/${s.id}/invoices`).set(t.auth()),
        409,
        'invalid_operation',
      );
      expect((await get(`/${s.id}/invoices`)).body.data).toEqual([]);
      expect((await eventsOf(s.id)).map((e) => e.type)).toEqual(['BillingScheduleCreated']);
    });
  });

  // ---------------------------------------------------------------- 409 version_conflict

  describe('409 version_conflict: If-Match', () => {
    it('refuses a PATCH with a stale If-Match after the schedule moved on', async () => {
      const s = await createSchedule();
      const moved = await patch(s.id, { metadata: { step: '2' } });
      expect(moved.headers.etag).toBe('"2"');
      expectError(
        await patch(s.id, { metadata: { step: 'stale' } }, { 'If-Match': '"1"' }),
        409,
        'version_conflict',
      );
      expectError(
        await patch(s.id, { metadata: { step: 'future' } }, { 'If-Match': '"9"' }),
        409,
        'version_conflict',
      );
      const after = await get(`/${s.id}`);
      expect(after.body).toMatchObject({ version: 2, metadata: { step: '2' } });
      expect(after.headers.etag).toBe('"2"');
    });

    it('refuses a PUT intervals (and a DELETE) with a stale If-Match', async () => {
      const s = await createSchedule();
      await patch(s.id, { metadata: { step: '2' } });
      expectError(
        await put(s.id, { intervals: [intervalBody()] }, { 'If-Match': '"1"' }),
        409,
        'version_conflict',
      );
      expect((await get(`/${s.id}/intervals`)).body.data).toEqual([]);
      expectError(
        await t.http().delete(`${BASE}/${s.id}`).set(t.auth()).set('If-Match', '"1"'),
        409,
        'version_conflict',
      );
      expect((await get(`/${s.id}`)).status).toBe(200);
    });

    it('accepts a matching If-Match and returns the new ETag', async () => {
      const s = await createSchedule();
      const got = await get(`/${s.id}`);
      const patched = await patch(
        s.id,
        { metadata: { step: '2' } },
        { 'If-Match': got.headers.etag },
      );
      expect(patched.status).toBe(200);
      expect(patched.headers.etag).toBe('"2"');
      expect(patched.body.version).toBe(2);
      const replaced = await put(
        s.id,
        { intervals: [intervalBody()] },
        { 'If-Match': patched.headers.etag },
      );
      expect(replaced.status).toBe(200);
      expect(replaced.headers.etag).toBe('"3"');
      expect((await get(`/${s.id}`)).headers.etag).toBe('"3"');
    });

    it.each(['abc', '"v2"', '"1', '1.0', '"-1"', ''])(
      'answers 400 for a malformed If-Match %p',
      async (ifMatch) => {
        const s = await createSchedule();
        const res = await patch(s.id, { metadata: { step: 'x' } }, { 'If-Match': ifMatch });
        expectError(res, 400, 'validation_error', 'If-Match');
        expect((await get(`/${s.id}`)).body.version).toBe(1);
      },
    );
  });

  // ---------------------------------------------------------------- concurrency

  describe('concurrency without If-Match', () => {
    it('serialises 20 concurrent PATCHes: all 200, versions 1..21 with no gap', async () => {
      const s = await createSchedule();
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => patch(s.id, { metadata: { writer: String(i) } })),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
      const versions = responses.map((r) => r.body.version as number).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      const events = await eventsOf(s.id);
      expect(events.map((e) => e.version)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(events.slice(1).every((e) => e.type === 'BillingScheduleUpdated')).toBe(true);
      const final = await get(`/${s.id}`);
      expect(final.headers.etag).toBe('"21"');
      // The last writer's metadata won.
      const last = responses.find((r) => r.body.version === 21);
      expect(final.body.metadata).toEqual(last?.body.metadata);
    });
  });

  // ---------------------------------------------------------------- idempotency

  describe('Idempotency-Key', () => {
    it('replays a repeated POST create (same key, same body): 201, identical body, nothing appended', async () => {
      const orderId = uniqueOrder('idem');
      const body = scheduleBody({ orderId, metadata: { a: '1' } });
      const key = `idem-create-${orderId}`;
      const first = await post(body).set('Idempotency-Key', key);
      expect(first.status).toBe(201);
      const totalAfterFirst = await totalFor('limit=1');
      const second = await post(body).set('Idempotency-Key', key);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(await totalFor('limit=1')).toBe(totalAfterFirst);
      expect(await totalFor(`orderId=${orderId}`)).toBe(1);
      expect((await eventsOf(first.body.id)).map((e) => [e.type, e.version])).toEqual([
        ['BillingScheduleCreated', 1],
      ]);
    });

    it('refuses the same key with a different body: 409 invalid_operation, nothing created', async () => {
      const orderId = uniqueOrder('idem');
      const key = `idem-diff-${orderId}`;
      expect((await post(scheduleBody({ orderId })).set('Idempotency-Key', key)).status).toBe(201);
      const otherOrder = `${orderId}_other`;
      expectError(
        await post(scheduleBody({ orderId: otherOrder })).set('Idempotency-Key', key),
        409,
        'invalid_operation',
      );
      expect(await totalFor(`orderId=${otherOrder}`)).toBe(0);
      // The same key on another endpoint is another request too.
      const s = await createSchedule();
      expectError(
        await patch(s.id, { metadata: { a: '1' } }, { 'Idempotency-Key': key }),
        409,
        'invalid_operation',
      );
      expect((await get(`/${s.id}`)).body.version).toBe(1);
    });

    it('keeps keys per tenant: the same key used by tenant B is independent', async () => {
      const orderId = uniqueOrder('idem');
      const key = `idem-tenant-${orderId}`;
      const body = scheduleBody({ orderId });
      const a1 = await post(body).set('Idempotency-Key', key);
      const b1 = await post(body, TENANT_B.key).set('Idempotency-Key', key);
      expect([a1.status, b1.status]).toEqual([201, 201]);
      expect(b1.body.id).not.toBe(a1.body.id);
      expect(b1.body.merchantId).toBe(TENANT_B.tenant);
      // B with another body under the same key is B's own conflict, not A's replay.
      expect(
        (
          await post(scheduleBody({ orderId: `${orderId}_b` }), TENANT_B.key).set(
            'Idempotency-Key',
            `${key}-2`,
          )
        ).status,
      ).toBe(201);
      const a2 = await post(body).set('Idempotency-Key', key);
      const b2 = await post(body, TENANT_B.key).set('Idempotency-Key', key);
      expect(a2.body).toEqual(a1.body);
      expect(b2.body).toEqual(b1.body);
      expect(await totalFor(`orderId=${orderId}`)).toBe(1);
      expect(await totalFor(`orderId=${orderId}`, TENANT_B.key)).toBe(1);
    });

    it('replays a repeated PUT intervals with its first response (same interval ids, one event)', async () => {
      const s = await createSchedule();
      const body = { intervals: [intervalBody({ orderLineItemId: 'line_a' })] };
      const first = await put(s.id, body, { 'Idempotency-Key': `idem-put-${s.id}` });
      expect(first.status).toBe(200);
      const second = await put(s.id, body, { 'Idempotency-Key': `idem-put-${s.id}` });
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect((await get(`/${s.id}/intervals`)).body.data).toEqual(first.body.data);
      expect((await eventsOf(s.id)).map((e) => e.type)).toEqual([
        'BillingScheduleCreated',
        'ScheduleIntervalsReplaced',
      ]);
      // Without the key the same PUT runs again and makes new ids.
      const fresh = await put(s.id, body);
      expect(fresh.body.data[0].id).not.toBe(first.body.data[0].id);
    });

    it('replays a repeated PATCH with its first response (one event)', async () => {
      const s = await createSchedule();
      const first = await patch(
        s.id,
        { metadata: { a: '1' } },
        { 'Idempotency-Key': `idem-patch-${s.id}` },
      );
      const second = await patch(
        s.id,
        { metadata: { a: '1' } },
        { 'Idempotency-Key': `idem-patch-${s.id}` },
      );
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.body).toEqual(first.body);
      expect((await eventsOf(s.id)).map((e) => e.version)).toEqual([1, 2]);
    });

    it('replays a repeated DELETE as 204 (while an unkeyed repeat is 404)', async () => {
      const s = await createSchedule();
      const key = `idem-delete-${s.id}`;
      const first = await t
        .http()
        .delete(`${BASE}/${s.id}`)
        .set(t.auth())
        .set('Idempotency-Key', key);
      expect(first.status).toBe(204);
      const replay = await t
        .http()
        .delete(`${BASE}/${s.id}`)
        .set(t.auth())
        .set('Idempotency-Key', key);
      expect(replay.status).toBe(204);
      expect(replay.text).toBe('');
      expectError(await t.http().delete(`${BASE}/${s.id}`).set(t.auth()), 404, 'not_found');
      expectError(await get(`/${s.id}`), 404, 'not_found');
    });

    it('creates exactly one schedule for 5 concurrent identical keyed POSTs', async () => {
      const orderId = uniqueOrder('idem');
      const body = scheduleBody({ orderId });
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => post(body).set('Idempotency-Key', `idem-race-${orderId}`)),
      );
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(
        responses.every((r) => JSON.stringify(r.body) === JSON.stringify(responses[0].body)),
      ).toBe(true);
      expect(await totalFor(`orderId=${orderId}`)).toBe(1);
    });

    it('rejects an Idempotency-Key longer than 255 characters', async () => {
      const orderId = uniqueOrder('idem');
      expectError(
        await post(scheduleBody({ orderId })).set('Idempotency-Key', 'k'.repeat(256)),
        400,
        'validation_error',
        'Idempotency-Key',
      );
      expect(await totalFor(`orderId=${orderId}`)).toBe(0);
    });
  });

  // ---------------------------------------------------------------- 413

  describe('413 body too large', () => {
    it('answers 413 validation_error for a create body over 1 MiB (a padded string field)', async () => {
      const orderId = uniqueOrder('big');
      const res = await post(scheduleBody({ orderId, description: 'x'.repeat(1024 * 1024 + 1) }));
      expectError(res, 413, 'validation_error');
      expect(await totalFor(`orderId=${orderId}`)).toBe(0);
    });

    it('answers 413 validation_error for a PUT intervals body over 1 MiB (many long descriptions)', async () => {
      const s = await createSchedule();
      const intervals = Array.from({ length: 1100 }, () =>
        intervalBody({ description: 'd'.repeat(1000) }),
      );
      expect(JSON.stringify({ intervals }).length).toBeGreaterThan(1024 * 1024);
      expectError(await put(s.id, { intervals }), 413, 'validation_error');
      expect((await get(`/${s.id}/intervals`)).body.data).toEqual([]);
    });

    it('does not answer 413 just under the limit (the field rules answer instead)', async () => {
      const res = await post(scheduleBody({ orderId: 'o'.repeat(1000 * 1000) }));
      expectError(res, 400, 'validation_error', 'orderId');
    });
  });

  // ---------------------------------------------------------------- 404

  describe('404 not_found', () => {
    it.each([
      ['GET', (id: string) => get(`/${id}`)],
      ['PATCH', (id: string) => patch(id, { metadata: { a: '1' } })],
      ['DELETE', (id: string) => t.http().delete(`${BASE}/${id}`).set(t.auth())],
      ['GET intervals', (id: string) => get(`/${id}/intervals`)],
      ['PUT intervals', (id: string) => put(id, { intervals: [intervalBody()] })],
      ['GET periods', (id: string) => get(`/${id}/periods`)],
      ['POST invoices', (id: string) => t.http().post(`${BASE}/${id}/invoices`).set(t.auth())],
      ['GET events', (id: string) => get(`/${id}/events`)],
      ['GET ?asOf', (id: string) => get(`/${id}?asOf=2024-06-01T00:00:00Z`)],
    ])('answers 404 not_found for an unknown id on %s', async (_name, call) => {
      expectError(await call('bs_doesNotExist000000000'), 404, 'not_found');
    });

    it('answers 404 not_found for an unknown route, with the error shape', async () => {
      expectError(await t.http().get('/v0/nothingHere').set(t.auth()), 404, 'not_found');
      expectError(
        await t.http().post(`${BASE}/bs_x/refunds`).set(t.auth()).send({}),
        404,
        'not_found',
      );
      expectError(await t.http().get('/v9/billingSchedules').set(t.auth()), 404, 'not_found');
    });
  });

  // ---------------------------------------------------------------- hostile inputs

  describe('never a 500 on hostile input', () => {
    it.each([
      ['an array', '[]'],
      ['an array of objects', '[{"startDate":"2024-01-01T00:00:00Z"}]'],
      ['null', 'null'],
      ['a JSON string', '"hello"'],
      ['a number', '42'],
      ['true', 'true'],
      ['an empty body', ''],
    ])('answers 400 with the error shape for %s as the create body', async (_name, text) => {
      const before = await totalFor('limit=1');
      expectError(await raw('post', '', text), 400, 'validation_error');
      expect(await totalFor('limit=1')).toBe(before);
    });

    it('answers 4xx with the error shape for hostile PATCH and PUT bodies', async () => {
      const s = await createSchedule();
      expectError(await raw('patch', `/${s.id}`, '[]'), 400, 'validation_error');
      expectError(await raw('patch', `/${s.id}`, 'null'), 400, 'validation_error');
      expectError(await raw('put', `/${s.id}/intervals`, '[]'), 400, 'validation_error');
      expectError(await raw('put', `/${s.id}/intervals`, '"x"'), 400, 'validation_error');
      expect((await get(`/${s.id}`)).body.version).toBe(1);
    });

    it('answers 4xx (not 500) for a non-JSON content type', async () => {
      const res = await raw('post', '', 'startDate=2024-01-01T00:00:00Z', 'text/plain');
      expect([400, 415]).toContain(res.status);
      expectError(res, res.status, 'validation_error');
    });

    it('answers 400 for intervals that are not an array of objects', async () => {
      const s = await createSchedule();
      expectError(await put(s.id, { intervals: 'x' }), 400, 'validation_error', 'intervals');
      expectError(
        await put(s.id, { intervals: { 0: intervalBody() } }),
        400,
        'validation_error',
        'intervals',
      );
      expectError(await put(s.id, { intervals: null }), 400, 'validation_error', 'intervals');
      for (const item of [null, 1, 'x', []]) {
        const res = await put(s.id, { intervals: [item] });
        expectError(res, 400, 'validation_error');
        expect(fieldsOf(res).some((f) => f.startsWith('intervals'))).toBe(true);
      }
      expectError(
        await put(s.id, { intervals: [intervalBody({ quantityTransitions: 'x' })] }),
        400,
        'validation_error',
        'intervals[0].quantityTransitions',
      );
      expectError(
        await put(s.id, { intervals: [intervalBody({ quantityTransitions: [null] })] }),
        400,
        'validation_error',
      );
      expect((await get(`/${s.id}/intervals`)).body.data).toEqual([]);
    });

    it('answers 400 for deeply nested objects in metadata (and elsewhere), also with an Idempotency-Key', async () => {
      const nested = (depth: number, leaf = '1') =>
        `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
      const withMetadata = (json: string) =>
        JSON.stringify(scheduleBody({ orderId: uniqueOrder('deep'), metadata: { x: 0 } })).replace(
          '{"x":0}',
          `{"x":${json}}`,
        );
      // 60 levels: within the nesting limit, but the value is longer than 500 characters.
      expectError(
        await raw('post', '', withMetadata(nested(60, `"${'v'.repeat(200)}"`))),
        400,
        'validation_error',
        'metadata',
      );
      // 20 000 levels would overflow any recursive walk of the body.
      expectError(
        await raw('post', '', withMetadata(nested(20_000))),
        400,
        'validation_error',
        'body',
      );
      expectError(
        await raw('post', '', withMetadata(`${'['.repeat(20_000)}${']'.repeat(20_000)}`)),
        400,
        'validation_error',
        'body',
      );
      const keyed = await t
        .http()
        .post(BASE)
        .set(t.auth())
        .set('Idempotency-Key', `idem-deep-${seq}`)
        .set('Content-Type', 'application/json')
        .send(withMetadata(nested(20_000)));
      expectError(keyed, 400, 'validation_error', 'body');
      const s = await createSchedule();
      const deepFilter = JSON.stringify({
        intervals: [intervalBody({ usageFilter: { x: 0 } })],
      }).replace('{"x":0}', nested(5_000));
      expectError(
        await raw('put', `/${s.id}/intervals`, deepFilter),
        400,
        'validation_error',
        'body',
      );
      expectError(
        await raw('patch', `/${s.id}`, `{"metadata":${nested(5_000)}}`),
        400,
        'validation_error',
        'body',
      );
      expect((await get(`/${s.id}`)).body.version).toBe(1);
    });

    it('answers 400 with details.errors for a path parameter with a bad percent-encoding', async () => {
      expectError(await t.http().get(`${BASE}/%FF`).set(t.auth()), 400, 'validation_error');
      expectError(
        await t.http().get(`${BASE}/%E0%A4%A/intervals`).set(t.auth()),
        400,
        'validation_error',
      );
    });

    it('answers 400 for prototype-pollution keys (never silently dropped) and for wrong types', async () => {
      const body = JSON.stringify(scheduleBody({ orderId: uniqueOrder('proto') })).slice(1);
      expectError(
        await raw('post', '', `{"__proto__":{"admin":true},${body}`),
        400,
        'validation_error',
        '__proto__',
      );
      expectError(
        await raw('post', '', `{"constructor":{"prototype":{"admin":true}},${body}`),
        400,
        'validation_error',
        'constructor',
      );
      expectError(
        await raw('post', '', `{"metadata":{"__proto__":{"admin":true}},${body}`),
        400,
        'validation_error',
        'metadata.__proto__',
      );
      expectError(
        await raw('post', '', `{"metadata":{"constructor":"Bob"},${body}`),
        400,
        'validation_error',
        'metadata.constructor',
      );
      const s = await createSchedule();
      expectError(
        await raw(
          'put',
          `/${s.id}/intervals`,
          `{"intervals":[{"__proto__":{"x":1},${JSON.stringify(intervalBody()).slice(1)}]}`,
        ),
        400,
        'validation_error',
        'intervals[0].__proto__',
      );
      expect(({} as Json).admin).toBeUndefined();
      expectError(
        await post(scheduleBody({ customPeriodWindows: [null] })),
        400,
        'validation_error',
      );
      expectError(
        await post(scheduleBody({ customPeriodWindows: 'x' })),
        400,
        'validation_error',
        'customPeriodWindows',
      );
      expectError(
        await post(scheduleBody({ orderId: { $ne: null } })),
        400,
        'validation_error',
        'orderId',
      );
      expectError(
        await post(scheduleBody({ startDate: ['2024-01-01T00:00:00Z'] })),
        400,
        'validation_error',
        'startDate',
      );
    });
  });
});
