import type { Response } from 'supertest';
import { startTestApp, TENANT_A, TENANT_B, type TestApp } from './support/test-app';

/**
 * /v2/accounts/{account_id}/… (SPEC §4, Togai seed) over HTTP on the embedded store: draft →
 * finalize, carving, merging, pre-actions and licenses, pagination tokens, pricing cycles,
 * tenant isolation, idempotency and the account's event stream.
 */

type Json = Record<string, unknown>;
type Schedule = {
  id: string;
  accountId: string;
  pricePlanId: string;
  version: number;
  startDate: string;
  endDate: string;
  [key: string]: unknown;
};

const cycle = { interval: 'MONTHLY', startOffset: { dayOffset: '1' }, gracePeriod: 3 };
const associate = (plan: string, from: string, until?: string, config: Json = {}): Json => ({
  mode: 'ASSOCIATE',
  effectiveFrom: from,
  ...(until ? { effectiveUntil: until } : {}),
  associationConfig: {
    pricePlanId: plan,
    pricePlanInfo: { name: `Plan ${plan}` },
    pricingCycleConfig: cycle,
    supportedCurrencies: ['USD'],
    ...config,
  },
});
const disassociate = (from: string, until?: string): Json => ({
  mode: 'DISASSOCIATE',
  effectiveFrom: from,
  ...(until ? { effectiveUntil: until } : {}),
});
const grant = (licenseId: string, updateType: string, quantity: unknown, extra: Json = {}) => ({
  type: 'GRANT_LICENSE',
  config: { licenseId, updateType, quantity, ...extra },
});

/** [plan, start day, end day, version] for compact timeline assertions. */
const windows = (schedules: Schedule[]) =>
  schedules.map((s) => [
    s.pricePlanId,
    s.startDate.slice(0, 10),
    s.endDate.slice(0, 10),
    s.version,
  ]);

const ERROR_KEYS = ['code', 'details', 'http_status_code', 'message'];
function expectError(res: Response, status: number, code: string, field?: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(Object.keys(res.body).sort()).toEqual(ERROR_KEYS);
  expect(res.body.http_status_code).toBe(status);
  if (field !== undefined) {
    expect((res.body.details.errors as { field: string }[]).map((e) => e.field)).toContain(field);
  }
}

let seq = 0;
const uniqueAccount = (prefix = 'ACC') => `${prefix}-${Date.now().toString(36)}-${++seq}`;

describe('/v2/accounts/{account_id} account schedules (HTTP, embedded store)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  const base = (account: string) => `/v2/accounts/${account}`;
  const edit = (account: string, edits: Json[], query = '', key = TENANT_A.key) =>
    t
      .http()
      .post(`${base(account)}/edit_schedules${query}`)
      .set(t.auth(key))
      .send({ edits });
  const finalize = (account: string, body: Json = {}, key = TENANT_A.key) =>
    t
      .http()
      .post(`${base(account)}/finalize_schedules`)
      .set(t.auth(key))
      .send(body);
  const list = (account: string, query: Json = {}, key = TENANT_A.key) =>
    t
      .http()
      .get(`${base(account)}/schedules`)
      .query(query)
      .set(t.auth(key));
  const licenses = (account: string, key = TENANT_A.key) =>
    t
      .http()
      .get(`${base(account)}/licenses`)
      .set(t.auth(key));
  const events = (account: string, key = TENANT_A.key) =>
    t
      .http()
      .get(`${base(account)}/events`)
      .query({ pageSize: 50 })
      .set(t.auth(key));

  async function ok(res: Response | Promise<Response>): Promise<Response> {
    const r = await res;
    if (r.status !== 200)
      throw new Error(`expected 200, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r;
  }

  it('stages the documented example as a draft, and finalize makes it ACTIVE', async () => {
    const account = uniqueAccount();
    const staged = await ok(
      edit(account, [
        associate('P', '2024-07-04', '2024-10-04'),
        disassociate('2024-08-04', '2024-09-04'),
      ]),
    );
    expect(staged.body.accountId).toBe(account);
    expect(windows(staged.body.pricingSchedules)).toEqual([
      ['P', '2024-07-04', '2024-08-04', 1],
      ['P', '2024-09-04', '2024-10-04', 1],
    ]);
    const [first] = staged.body.pricingSchedules as Schedule[];
    expect(first).toEqual({
      id: expect.stringMatching(/^sch\.[0-9A-Za-z]{24}$/),
      accountId: account,
      pricePlanId: 'P',
      version: 1,
      deferredRevenue: false,
      pricePlanInfo: { name: 'Plan P' },
      accountScheduleInfo: { supportedCurrencies: ['USD'], pricingCycleConfig: cycle },
      startDate: '2024-07-04T00:00:00Z',
      endDate: '2024-08-04T00:00:00Z',
      allowOngoingCycleUpdates: false,
    });

    // Read-your-writes: the draft is listed, ACTIVE is still empty.
    expect((await ok(list(account, { mode: 'DRAFT' }))).body).toEqual({
      data: staged.body.pricingSchedules,
    });
    expect((await ok(list(account))).body).toEqual({ data: [] });

    const finalized = await ok(finalize(account));
    expect(Object.keys(finalized.body)).toEqual(['data']);
    expect(finalized.body.data).toEqual(staged.body.pricingSchedules);
    expect((await ok(list(account, { mode: 'ACTIVE' }))).body).toEqual(finalized.body);
    expect((await ok(list(account, { mode: 'DRAFT' }))).body).toEqual({ data: [] });
  });

  it('carving splits a draft window: the left piece keeps its id, the right one gets a new one', async () => {
    const account = uniqueAccount();
    const [original] = (await ok(edit(account, [associate('P', '2024-01-01')]))).body
      .pricingSchedules;
    const res = await ok(edit(account, [associate('Q', '2024-05-01', '2024-06-01')]));
    const draft = res.body.pricingSchedules as Schedule[];
    expect(windows(draft)).toEqual([
      ['P', '2024-01-01', '2024-05-01', 1],
      ['Q', '2024-05-01', '2024-06-01', 1],
      ['P', '2024-06-01', '9999-01-01', 1],
    ]);
    expect(draft[0].id).toBe(original.id);
    expect(new Set(draft.map((s) => s.id)).size).toBe(3);
  });

  it('discard=true drops the existing draft before applying the edits', async () => {
    const account = uniqueAccount();
    await ok(edit(account, [associate('A', '2024-01-01', '2024-02-01')]));
    const res = await ok(
      edit(account, [associate('B', '2024-03-01', '2024-04-01')], '?discard=true'),
    );
    expect(windows(res.body.pricingSchedules)).toEqual([['B', '2024-03-01', '2024-04-01', 1]]);
    const kept = await ok(
      edit(account, [associate('C', '2024-05-01', '2024-06-01')], '?discard=false'),
    );
    expect(windows(kept.body.pricingSchedules).map((w) => w[0])).toEqual(['B', 'C']);
    expectError(
      await edit(account, [disassociate('2024-01-01')], '?discard=maybe'),
      400,
      'validation_error',
      'discard',
    );
  });

  it('mergeSchedules=false replaces the whole ACTIVE timeline', async () => {
    const account = uniqueAccount();
    await ok(
      edit(account, [
        associate('A', '2024-01-01', '2024-06-01'),
        associate('B', '2024-06-01', '2025-01-01'),
      ]),
    );
    await ok(finalize(account));
    await ok(edit(account, [associate('C', '2024-03-01', '2024-04-01')]));
    const res = await ok(finalize(account, { mergeSchedules: false }));
    expect(windows(res.body.data)).toEqual([['C', '2024-03-01', '2024-04-01', 2]]);
  });

  it('mergeSchedules=true carves a new plan into an old one: A, B, A with their versions', async () => {
    const account = uniqueAccount();
    await ok(edit(account, [associate('A', '2024-01-01', '2024-12-31')]));
    const [oldA] = (await ok(finalize(account))).body.data as Schedule[];
    const [draftB] = (await ok(edit(account, [associate('B', '2024-06-01', '2024-07-01')]))).body
      .pricingSchedules;
    expect(draftB.version).toBe(2);
    const res = await ok(finalize(account, { mergeSchedules: true }));
    const active = res.body.data as Schedule[];
    expect(windows(active)).toEqual([
      ['A', '2024-01-01', '2024-06-01', 2],
      ['B', '2024-06-01', '2024-07-01', 2],
      ['A', '2024-07-01', '2024-12-31', 2],
    ]);
    expect(active[0].id).toBe(oldA.id);
    expect(active[1].id).toBe(draftB.id);
    expect(active[2].id).not.toBe(oldA.id);
  });

  it('mergeSchedules=true keeps untouched windows and coalesces same-plan neighbours', async () => {
    const account = uniqueAccount();
    await ok(
      edit(account, [
        associate('A', '2024-01-01', '2024-03-01'),
        associate('B', '2024-03-01', '2024-06-01'),
      ]),
    );
    const [a, b] = (await ok(finalize(account))).body.data as Schedule[];
    await ok(edit(account, [associate('A', '2024-06-01', '2024-09-01')]));
    const second = await ok(finalize(account, { mergeSchedules: true }));
    expect(windows(second.body.data)).toEqual([
      ['A', '2024-01-01', '2024-03-01', 1],
      ['B', '2024-03-01', '2024-06-01', 1],
      ['A', '2024-06-01', '2024-09-01', 2],
    ]);
    expect(second.body.data.slice(0, 2)).toEqual([a, b]);
    await ok(edit(account, [associate('A', '2024-03-01', '2024-06-01')]));
    const third = await ok(finalize(account, { mergeSchedules: true }));
    expect(windows(third.body.data)).toEqual([['A', '2024-01-01', '2024-09-01', 3]]);
    expect(third.body.data[0].id).toBe(a.id);
  });

  it('finalize without a draft → 409 invalid_operation; without a body it takes the defaults', async () => {
    const account = uniqueAccount();
    expectError(await finalize(account), 409, 'invalid_operation');
    await ok(edit(account, [associate('A', '2024-01-01')]));
    const res = await ok(
      t
        .http()
        .post(`${base(account)}/finalize_schedules`)
        .set(t.auth()),
    );
    expect(windows(res.body.data)).toEqual([['A', '2024-01-01', '9999-01-01', 1]]);
    expectError(await finalize(account), 409, 'invalid_operation');
  });

  it('grants licenses with pre-actions: RELATIVE adds, ABSOLUTE sets', async () => {
    const account = uniqueAccount();
    expect((await ok(licenses(account))).body).toEqual({ data: [] });
    await ok(edit(account, [associate('A', '2024-01-01')]));
    await ok(
      finalize(account, {
        preActions: [
          grant('seats', 'RELATIVE', '5'),
          grant('seats', 'RELATIVE', 2),
          grant('admins', 'ABSOLUTE', 3, { effectiveFrom: '2024-02-01' }),
        ],
      }),
    );
    const first = (await ok(licenses(account))).body.data;
    expect(first).toEqual([
      {
        licenseId: 'admins',
        quantity: 3,
        effectiveFrom: '2024-02-01T00:00:00Z',
        updatedAt: expect.stringMatching(/Z$/),
      },
      {
        licenseId: 'seats',
        quantity: 7,
        effectiveFrom: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
      },
    ]);
    expect(first[1].effectiveFrom).toBe(first[1].updatedAt);
    await ok(edit(account, [associate('B', '2024-01-01')]));
    await ok(
      finalize(account, {
        preActions: [grant('seats', 'ABSOLUTE', 1), grant('admins', 'RELATIVE', '10')],
      }),
    );
    const second = (await ok(licenses(account))).body.data;
    expect(second.map((l: Json) => [l.licenseId, l.quantity])).toEqual([
      ['admins', 13],
      ['seats', 1],
    ]);
  });

  it('a bad pre-action → 400 with its field path, and nothing changes', async () => {
    const account = uniqueAccount();
    await ok(edit(account, [associate('A', '2024-01-01')]));
    await ok(finalize(account, { preActions: [grant('seats', 'ABSOLUTE', 4)] }));
    await ok(edit(account, [associate('B', '2024-02-01')]));
    const before = {
      active: (await ok(list(account))).body,
      draft: (await ok(list(account, { mode: 'DRAFT' }))).body,
      licenses: (await ok(licenses(account))).body,
      events: (await ok(events(account))).body.data.length,
    };
    const cases: [Json[], string][] = [
      [[grant('seats', 'RELATIVE', '-1')], 'preActions[0].config.quantity'],
      [
        [grant('seats', 'RELATIVE', 1), grant('seats', 'SOMETIMES', 1)],
        'preActions[1].config.updateType',
      ],
      [[grant('', 'RELATIVE', 1)], 'preActions[0].config.licenseId'],
      [
        [grant('seats', 'RELATIVE', 1, { effectiveFrom: 'later' })],
        'preActions[0].config.effectiveFrom',
      ],
      [[{ type: 'GRANT_LICENSE' }], 'preActions[0].config'],
      [[{ type: 'REVOKE_LICENSE', config: {} }], 'preActions[0].type'],
      [[{ type: 'GRANT_LICENSE', config: {}, extra: 1 }], 'preActions[0].extra'],
    ];
    for (const [preActions, field] of cases) {
      expectError(
        await finalize(account, { mergeSchedules: true, preActions }),
        400,
        'validation_error',
        field,
      );
    }
    expect((await ok(list(account))).body).toEqual(before.active);
    expect((await ok(list(account, { mode: 'DRAFT' }))).body).toEqual(before.draft);
    expect((await ok(licenses(account))).body).toEqual(before.licenses);
    expect((await ok(events(account))).body.data).toHaveLength(before.events);
  });

  it('validates edits with field paths (SPEC §4)', async () => {
    const account = uniqueAccount();
    const cases: [Json, string][] = [
      [{ edits: [] }, 'edits'],
      [{ edits: Array.from({ length: 11 }, () => disassociate('2024-01-01')) }, 'edits'],
      [{ edits: [{ mode: 'SWAP', effectiveFrom: '2024-01-01' }] }, 'edits[0].mode'],
      [{ edits: [disassociate('2024-02-30')] }, 'edits[0].effectiveFrom'],
      [{ edits: [disassociate('2024-01-01T12:00:00Z')] }, 'edits[0].effectiveFrom'],
      [{ edits: [disassociate('2024-02-01', '2024-01-01')] }, 'edits[0].effectiveUntil'],
      [{ edits: [disassociate('2024-02-01', '2024-02-01')] }, 'edits[0].effectiveUntil'],
      [
        { edits: [{ mode: 'ASSOCIATE', effectiveFrom: '2024-01-01' }] },
        'edits[0].associationConfig',
      ],
      [
        { edits: [{ ...associate('A', '2024-01-01'), mode: 'DISASSOCIATE' }] },
        'edits[0].associationConfig',
      ],
      [
        { edits: [associate('A', '2024-01-01', undefined, { supportedCurrencies: [] })] },
        'edits[0].associationConfig.supportedCurrencies',
      ],
      [
        { edits: [associate('A', '2024-01-01', undefined, { supportedCurrencies: ['usd'] })] },
        'edits[0].associationConfig.supportedCurrencies[0]',
      ],
      [
        { edits: [associate('A', '2024-01-01', undefined, { pricePlanInfo: {} })] },
        'edits[0].associationConfig.pricePlanInfo.name',
      ],
      [
        {
          edits: [
            associate('A', '2024-01-01', undefined, {
              pricingCycleConfig: {
                interval: 'WEEKLY',
                startOffset: { dayOffset: '9' },
                gracePeriod: 1,
              },
            }),
          ],
        },
        'edits[0].associationConfig.pricingCycleConfig.startOffset.dayOffset',
      ],
      [
        {
          edits: [
            associate('A', '2024-01-01', undefined, { pricingCycleConfig: { gracePeriod: 1 } }),
          ],
        },
        'edits[0].associationConfig.pricingCycleConfig.interval',
      ],
      [
        { edits: [associate('A', '2024-01-01', undefined, { colour: 'red' })] },
        'edits[0].associationConfig.colour',
      ],
      [{ edits: [disassociate('2024-01-01')], extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await t
        .http()
        .post(`${base(account)}/edit_schedules`)
        .set(t.auth())
        .send(body);
      expectError(res, 400, 'validation_error', field);
    }
    expect((await ok(list(account, { mode: 'DRAFT' }))).body).toEqual({ data: [] });
    expect((await ok(events(account))).body.data).toEqual([]);
  });

  it('validates account_id: 1–50 characters of [A-Za-z0-9._:-]', async () => {
    expectError(await list('A'.repeat(51)), 400, 'validation_error', 'account_id');
    expectError(await list('bad%20id'), 400, 'validation_error', 'account_id');
    expectError(
      await edit('A'.repeat(51), [disassociate('2024-01-01')]),
      400,
      'validation_error',
      'account_id',
    );
    await ok(list('A'.repeat(50)));
    await ok(list('acc.1:a_b-c'));
  });

  it('discards the draft; discarding without a draft still succeeds and records nothing', async () => {
    const account = uniqueAccount();
    await ok(edit(account, [associate('A', '2024-01-01')]));
    await ok(finalize(account));
    await ok(edit(account, [associate('B', '2024-01-01')]));
    const res = await t
      .http()
      .delete(`${base(account)}/discard_schedules`)
      .set(t.auth());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true });
    expect((await ok(list(account, { mode: 'DRAFT' }))).body).toEqual({ data: [] });
    expect(windows((await ok(list(account))).body.data)).toEqual([
      ['A', '2024-01-01', '9999-01-01', 1],
    ]);
    const eventCount = (await ok(events(account))).body.data.length;
    const again = await t
      .http()
      .delete(`${base(account)}/discard_schedules`)
      .set(t.auth());
    expect({ status: again.status, body: again.body }).toEqual({
      status: 200,
      body: { success: true },
    });
    expect((await ok(events(account))).body.data).toHaveLength(eventCount);
    expectError(await finalize(account), 409, 'invalid_operation');
  });

  it('pages by startDate across 3 pages with nextToken/previousToken, and refuses forged tokens', async () => {
    const account = uniqueAccount();
    const month = (i: number) =>
      `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
    // 25 monthly windows, staged in three calls (≤ 10 edits each) in shuffled order.
    const order = Array.from({ length: 25 }, (_, i) => (i * 7) % 25);
    for (const chunk of [order.slice(0, 10), order.slice(10, 20), order.slice(20)]) {
      await ok(
        edit(
          account,
          chunk.map((i) => associate(`P${i}`, month(i), month(i + 1))),
        ),
      );
    }
    await ok(finalize(account));

    const page1 = (await ok(list(account, { pageSize: 10 }))).body;
    expect(page1.data.map((s: Schedule) => s.pricePlanId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `P${i}`),
    );
    expect(page1.previousToken).toBeUndefined();
    expect(page1.nextToken).toEqual(expect.any(String));
    const page2 = (await ok(list(account, { pageSize: 10, nextToken: page1.nextToken }))).body;
    expect(page2.data.map((s: Schedule) => s.pricePlanId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `P${i + 10}`),
    );
    expect(page2.previousToken).toEqual(expect.any(String));
    const page3 = (await ok(list(account, { pageSize: 10, nextToken: page2.nextToken }))).body;
    expect(page3.data.map((s: Schedule) => s.pricePlanId)).toEqual(
      Array.from({ length: 5 }, (_, i) => `P${i + 20}`),
    );
    expect(page3.nextToken).toBeUndefined();
    // previousToken works as nextToken to go back.
    const back = (await ok(list(account, { pageSize: 10, nextToken: page3.previousToken }))).body;
    expect(back).toEqual(page2);
    const first = (await ok(list(account, { pageSize: 10, nextToken: page2.previousToken }))).body;
    expect(first).toEqual(page1);
    // The default page size is 10; every startDate is ascending.
    const all = (await ok(list(account))).body;
    expect(all.data).toEqual(page1.data);

    const forged = Buffer.from(JSON.stringify({ o: -5, m: 'ACTIVE' })).toString('base64url');
    const otherMode = Buffer.from(JSON.stringify({ o: 10, m: 'DRAFT' })).toString('base64url');
    for (const nextToken of ['garbage!', 'bm90IGpzb24', forged, otherMode, `${page1.nextToken}x`]) {
      expectError(await list(account, { nextToken }), 400, 'validation_error', 'nextToken');
    }
    expectError(
      await list(account, { mode: 'DRAFT', nextToken: page1.nextToken }),
      400,
      'validation_error',
      'nextToken',
    );
    expectError(await list(account, { pageSize: 51 }), 400, 'validation_error', 'pageSize');
    expectError(await list(account, { pageSize: 0 }), 400, 'validation_error', 'pageSize');
    expectError(await list(account, { mode: 'PAST' }), 400, 'validation_error', 'mode');
  });

  it('answers an unknown account with an empty list', async () => {
    const account = uniqueAccount('NEVER');
    expect((await ok(list(account))).body).toEqual({ data: [] });
    expect((await ok(list(account, { mode: 'DRAFT' }))).body).toEqual({ data: [] });
    expect((await ok(licenses(account))).body).toEqual({ data: [] });
  });

  it('computes pricing cycles from the ACTIVE schedule, else the DRAFT one, else 404', async () => {
    const account = uniqueAccount();
    const [draft] = (await ok(edit(account, [associate('A', '2024-01-15', '2024-04-01')]))).body
      .pricingSchedules;
    const cycles = (path: string, query: Json = {}) =>
      t.http().get(path).query(query).set(t.auth());
    const url = (id: string) => `${base(account)}/schedules/${id}/pricing_cycles`;

    const fromDraft = await ok(cycles(url(draft.id)));
    expect(fromDraft.body).toEqual({
      data: [
        {
          startDate: '2024-01-15T00:00:00Z',
          endDate: '2024-02-01T00:00:00Z',
          graceEndDate: '2024-02-04T00:00:00Z',
        },
        {
          startDate: '2024-02-01T00:00:00Z',
          endDate: '2024-03-01T00:00:00Z',
          graceEndDate: '2024-03-04T00:00:00Z',
        },
        {
          startDate: '2024-03-01T00:00:00Z',
          endDate: '2024-04-01T00:00:00Z',
          graceEndDate: '2024-04-04T00:00:00Z',
        },
      ],
    });
    await ok(finalize(account));
    expect((await ok(cycles(url(draft.id), { count: 2 }))).body.data).toEqual(
      fromDraft.body.data.slice(0, 2),
    );

    const [open] = (
      await ok(
        edit(account, [
          associate('B', '2024-01-01', undefined, {
            pricingCycleConfig: {
              interval: 'QUARTERLY',
              startOffset: { dayOffset: '1', monthOffset: 'FIRST' },
              gracePeriod: 0,
            },
          }),
        ]),
      )
    ).body.pricingSchedules;
    const quarterly = (await ok(cycles(url(open.id)))).body.data;
    expect(quarterly).toHaveLength(12);
    expect(quarterly[1]).toEqual({
      startDate: '2024-04-01T00:00:00Z',
      endDate: '2024-07-01T00:00:00Z',
      graceEndDate: '2024-07-01T00:00:00Z',
    });

    expectError(await cycles(url('sch.unknown')), 404, 'not_found');
    expectError(await cycles(url(draft.id), { count: 0 }), 400, 'validation_error', 'count');
    expectError(await cycles(url(draft.id), { count: 101 }), 400, 'validation_error', 'count');
    expect((await ok(cycles(url(draft.id), { count: 100 }))).body.data).toHaveLength(3);
  });

  it("isolates tenants: B sees nothing of A's account and gets 404 on A's schedule", async () => {
    const account = uniqueAccount();
    await ok(edit(account, [associate('A', '2024-01-01')]));
    const [schedule] = (
      await ok(finalize(account, { preActions: [grant('seats', 'ABSOLUTE', 2)] }))
    ).body.data;
    await ok(edit(account, [associate('D', '2024-01-01')]));

    expect((await ok(list(account, {}, TENANT_B.key))).body).toEqual({ data: [] });
    expect((await ok(list(account, { mode: 'DRAFT' }, TENANT_B.key))).body).toEqual({ data: [] });
    expect((await ok(licenses(account, TENANT_B.key))).body).toEqual({ data: [] });
    expect((await ok(events(account, TENANT_B.key))).body).toEqual({ data: [] });
    const foreign = await t
      .http()
      .get(`${base(account)}/schedules/${schedule.id}/pricing_cycles`)
      .set(t.auth(TENANT_B.key));
    expectError(foreign, 404, 'not_found');
    expectError(await finalize(account, {}, TENANT_B.key), 409, 'invalid_operation');

    // B's own edits to the same account id live in B's stream and leave A's alone.
    await ok(edit(account, [associate('X', '2030-01-01')], '', TENANT_B.key));
    await ok(finalize(account, {}, TENANT_B.key));
    expect(windows((await ok(list(account))).body.data)).toEqual([
      ['A', '2024-01-01', '9999-01-01', 1],
    ]);
    expect(windows((await ok(list(account, { mode: 'DRAFT' }))).body.data)).toEqual([
      ['D', '2024-01-01', '9999-01-01', 2],
    ]);
    expect(
      (await ok(events(account, TENANT_B.key))).body.data.every(
        (e: Json) => e.tenantId === TENANT_B.tenant,
      ),
    ).toBe(true);
  });

  it('401 without a key or with an unknown one', async () => {
    const account = uniqueAccount();
    expectError(await t.http().get(`${base(account)}/schedules`), 401, 'permission_denied');
    expectError(
      await t
        .http()
        .post(`${base(account)}/edit_schedules`)
        .send({ edits: [disassociate('2024-01-01')] }),
      401,
      'permission_denied',
    );
    expectError(
      await t
        .http()
        .post(`${base(account)}/finalize_schedules`)
        .set(t.auth('nope'))
        .send({}),
      401,
      'permission_denied',
    );
    expectError(
      await t.http().delete(`${base(account)}/discard_schedules`),
      401,
      'permission_denied',
    );
    expectError(await t.http().get(`${base(account)}/licenses`), 401, 'permission_denied');
    expectError(
      await t.http().get(`${base(account)}/schedules/sch.x/pricing_cycles`),
      401,
      'permission_denied',
    );
  });

  it('an idempotent replay of finalize answers the first response and appends nothing', async () => {
    const account = uniqueAccount();
    await ok(edit(account, [associate('A', '2024-01-01')]));
    const body = { preActions: [grant('seats', 'RELATIVE', 1)] };
    const first = await t
      .http()
      .post(`${base(account)}/finalize_schedules`)
      .set(t.auth())
      .set('Idempotency-Key', `fin-${account}`)
      .send(body);
    expect(first.status).toBe(200);
    const count = (await ok(events(account))).body.data.length;
    const replay = await t
      .http()
      .post(`${base(account)}/finalize_schedules`)
      .set(t.auth())
      .set('Idempotency-Key', `fin-${account}`)
      .send(body);
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect((await ok(events(account))).body.data).toHaveLength(count);
    expect((await ok(licenses(account))).body.data[0].quantity).toBe(1);
    const other = await t
      .http()
      .post(`${base(account)}/finalize_schedules`)
      .set(t.auth())
      .set('Idempotency-Key', `fin-${account}`)
      .send({ mergeSchedules: true });
    expectError(other, 409, 'invalid_operation');
  });

  it('records the SPEC §6 events in the account stream, in the published envelope', async () => {
    const account = uniqueAccount();
    await ok(
      edit(account, [associate('A', '2024-01-01', '2024-12-31')]).set(
        'X-Request-Id',
        `req-edit-${account}`,
      ),
    );
    await ok(
      finalize(account, { preActions: [grant('seats', 'ABSOLUTE', 3)] }).set(
        'Idempotency-Key',
        `idem-${account}`,
      ),
    );
    await ok(edit(account, [associate('B', '2024-06-01', '2024-07-01')]));
    await t
      .http()
      .delete(`${base(account)}/discard_schedules`)
      .set(t.auth());
    const stream = (await ok(events(account))).body.data as Json[];
    expect(stream.map((e) => [e.type, e.version, e.schemaVersion])).toEqual([
      ['AccountScheduleEditsStaged', 1, 1],
      ['AccountSchedulesFinalized', 2, 1],
      ['AccountScheduleEditsStaged', 3, 1],
      ['AccountScheduleDraftDiscarded', 4, 1],
    ]);
    for (const event of stream) {
      expect(event).toMatchObject({
        streamId: `account_schedules-${TENANT_A.tenant}-${account}`,
        streamType: 'account_schedules',
        tenantId: TENANT_A.tenant,
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7/),
      });
    }
    expect(stream[0].metadata).toMatchObject({ correlationId: `req-edit-${account}` });
    expect(stream[1].metadata).toMatchObject({ idempotencyKey: `idem-${account}` });
    // Self-contained payloads: the staged draft, the whole ACTIVE set and the licenses.
    expect(stream[0].data).toMatchObject({
      accountId: account,
      edits: [
        {
          mode: 'ASSOCIATE',
          effectiveFrom: '2024-01-01T00:00:00Z',
          effectiveUntil: '2024-12-31T00:00:00Z',
        },
      ],
      draft: { schedules: [{ pricePlanId: 'A', startDate: '2024-01-01T00:00:00Z' }] },
    });
    expect(stream[1].data).toMatchObject({
      accountId: account,
      finalizeCount: 1,
      mergeSchedules: false,
      schedules: [{ pricePlanId: 'A', version: 1 }],
      licenses: [{ licenseId: 'seats', quantity: 3 }],
    });

    // Paged like the other /v2 lists.
    const firstTwo = (
      await ok(
        t
          .http()
          .get(`${base(account)}/events`)
          .query({ pageSize: 2 })
          .set(t.auth()),
      )
    ).body;
    expect(firstTwo.data).toEqual(stream.slice(0, 2));
    const nextTwo = (
      await ok(
        t
          .http()
          .get(`${base(account)}/events`)
          .query({ pageSize: 2, nextToken: firstTwo.nextToken })
          .set(t.auth()),
      )
    ).body;
    expect(nextTwo.data).toEqual(stream.slice(2));
  });

  it('documents the endpoints with the seed names in /openapi.json', async () => {
    const document = (await t.http().get('/openapi.json')).body;
    const schemas = document.components.schemas;
    const operations = Object.entries(
      document.paths as Record<string, Record<string, Json>>,
    ).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => [
        `${method.toUpperCase()} ${path}`,
        op.operationId,
      ]),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        ['POST /v2/accounts/{account_id}/edit_schedules', 'editAccountSchedules'],
        ['GET /v2/accounts/{account_id}/schedules', 'listAccountSchedules'],
        ['POST /v2/accounts/{account_id}/finalize_schedules', 'finalizeAccountSchedules'],
        ['DELETE /v2/accounts/{account_id}/discard_schedules', 'discardAccountSchedules'],
        ['GET /v2/accounts/{account_id}/licenses', 'getAccountLicenses'],
        [
          'GET /v2/accounts/{account_id}/schedules/{schedule_id}/pricing_cycles',
          'getPricingCycles',
        ],
      ]),
    );
    const props = (name: string) => Object.keys(schemas[name].properties).sort();
    expect(props('SchedulesPaginatedResponse')).toEqual(['data', 'nextToken', 'previousToken']);
    expect(props('AccountSchedule')).toEqual([
      'accountId',
      'accountScheduleInfo',
      'allowOngoingCycleUpdates',
      'deferredRevenue',
      'endDate',
      'id',
      'isOverridden',
      'pricePlanId',
      'pricePlanInfo',
      'startDate',
      'version',
    ]);
    expect(schemas.AccountSchedule.required.sort()).toEqual([
      'accountId',
      'accountScheduleInfo',
      'allowOngoingCycleUpdates',
      'deferredRevenue',
      'endDate',
      'id',
      'pricePlanId',
      'pricePlanInfo',
      'startDate',
      'version',
    ]);
    expect(props('PricePlanInfo')).toEqual(['description', 'name']);
    expect(props('ScheduleInfo')).toEqual([
      'pricingCycleConfig',
      'pricingRules',
      'supportedCurrencies',
    ]);
    expect(props('PricingCycleConfig')).toEqual([
      'anniversaryCycle',
      'gracePeriod',
      'interval',
      'startOffset',
    ]);
    expect(schemas.PricingCycleInterval.enum).toEqual([
      'WEEKLY',
      'MONTHLY',
      'QUARTERLY',
      'HALF_YEARLY',
      'ANNUALLY',
    ]);
    expect(props('PreAction')).toEqual(['config', 'type']);
    expect(schemas.PreAction.properties.type.enum).toEqual(['GRANT_LICENSE']);
    expect(props('FinalizeAccountSchedules')).toEqual(['mergeSchedules', 'preActions']);
    expect(props('PricingRule')).toEqual([
      'action',
      'computation',
      'condition',
      'id',
      'invoiceTiming',
      'name',
      'order',
      'version',
    ]);
    const finalizeOp = document.paths['/v2/accounts/{account_id}/finalize_schedules'].post;
    expect(finalizeOp.tags).toEqual(['Account schedules']);
    expect(JSON.stringify(finalizeOp.requestBody)).toContain(
      '#/components/schemas/FinalizeAccountSchedules',
    );
    expect(JSON.stringify(finalizeOp.responses['200'])).toContain(
      '#/components/schemas/SchedulesPaginatedResponse',
    );
  });
});

describe('/v2/accounts after a restart', () => {
  it('rebuilds the account read model from the store', async () => {
    const t = await startTestApp();
    const account = 'ACC-RESTART';
    await t
      .http()
      .post(`/v2/accounts/${account}/edit_schedules`)
      .set(t.auth())
      .send({ edits: [associate('A', '2024-01-01')] });
    await t
      .http()
      .post(`/v2/accounts/${account}/finalize_schedules`)
      .set(t.auth())
      .send({ preActions: [grant('seats', 'ABSOLUTE', 9)] });
    await t
      .http()
      .post(`/v2/accounts/${account}/edit_schedules`)
      .set(t.auth())
      .send({ edits: [associate('B', '2025-01-01')] });
    const before = await Promise.all(
      ['/schedules', '/schedules?mode=DRAFT', '/licenses'].map((p) =>
        t.http().get(`/v2/accounts/${account}${p}`).set(t.auth()),
      ),
    );
    await t.close();
    const again = await startTestApp({ dataDir: t.dataDir });
    try {
      const after = await Promise.all(
        ['/schedules', '/schedules?mode=DRAFT', '/licenses'].map((p) =>
          again.http().get(`/v2/accounts/${account}${p}`).set(again.auth()),
        ),
      );
      expect(after.map((r) => r.body)).toEqual(before.map((r) => r.body));
      expect(after[0].body.data).toHaveLength(1);
      expect(after[1].body.data).toHaveLength(1);
      const finalized = await again
        .http()
        .post(`/v2/accounts/${account}/finalize_schedules`)
        .set(again.auth())
        .send({ mergeSchedules: true });
      expect(windows(finalized.body.data)).toEqual([
        ['A', '2024-01-01', '2025-01-01', 2],
        ['B', '2025-01-01', '9999-01-01', 2],
      ]);
    } finally {
      await again.destroy();
    }
  });
});
