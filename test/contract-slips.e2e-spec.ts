import { intervalBody, scheduleBody, startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 7, item 8: finalize_schedules answers the first page of the resulting ACTIVE set with
 * a nextToken that GET …/schedules?mode=ACTIVE continues; PUT intervals answers the first page
 * of the resulting set under the /v0 list rules.
 */
describe('contract slips', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  const month = (i: number) =>
    `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
  const associate = (i: number) => ({
    mode: 'ASSOCIATE',
    effectiveFrom: month(i),
    effectiveUntil: month(i + 1),
    associationConfig: {
      pricePlanId: `P${i}`,
      pricePlanInfo: { name: `Plan ${i}` },
      supportedCurrencies: ['USD'],
      pricingCycleConfig: { interval: 'MONTHLY', startOffset: { dayOffset: '1' }, gracePeriod: 0 },
    },
  });
  async function stageTwelve(account: string) {
    for (const chunk of [0, 10]) {
      const edits = Array.from({ length: Math.min(10, 12 - chunk) }, (_, i) =>
        associate(chunk + i),
      );
      const res = await t
        .http()
        .post(`/v2/accounts/${account}/edit_schedules`)
        .set(t.auth())
        .send({ edits });
      expect(res.status).toBe(200);
    }
  }
  const plans = (body: { data: { pricePlanId: string }[] }) => body.data.map((s) => s.pricePlanId);

  it('finalize answers the first 10 of 12 ACTIVE schedules with a nextToken that GET continues', async () => {
    await stageTwelve('ACC-SLIP');
    const finalized = await t
      .http()
      .post('/v2/accounts/ACC-SLIP/finalize_schedules')
      .set(t.auth())
      .send({});
    expect(finalized.status).toBe(200);
    expect(plans(finalized.body)).toEqual(Array.from({ length: 10 }, (_, i) => `P${i}`));
    expect(finalized.body.previousToken).toBeUndefined();
    expect(finalized.body.nextToken).toEqual(expect.any(String));

    const rest = await t
      .http()
      .get('/v2/accounts/ACC-SLIP/schedules')
      .query({ mode: 'ACTIVE', nextToken: finalized.body.nextToken })
      .set(t.auth());
    expect(rest.status).toBe(200);
    expect(plans(rest.body)).toEqual(['P10', 'P11']);
    expect(rest.body.nextToken).toBeUndefined();
    // The token is minted for ACTIVE: the draft listing refuses it.
    const draft = await t
      .http()
      .get('/v2/accounts/ACC-SLIP/schedules')
      .query({ mode: 'DRAFT', nextToken: finalized.body.nextToken })
      .set(t.auth());
    expect(draft.status).toBe(400);
  });

  it('finalize honours pageSize (1–50) and refuses one out of range', async () => {
    await stageTwelve('ACC-SLIP-PAGE');
    const bad = await t
      .http()
      .post('/v2/accounts/ACC-SLIP-PAGE/finalize_schedules?pageSize=51')
      .set(t.auth())
      .send({});
    expect(bad.status).toBe(400);
    expect(bad.body.details.errors.map((e: { field: string }) => e.field)).toEqual(['pageSize']);
    const finalized = await t
      .http()
      .post('/v2/accounts/ACC-SLIP-PAGE/finalize_schedules?pageSize=12')
      .set(t.auth())
      .send({});
    expect(finalized.status).toBe(200);
    expect(plans(finalized.body)).toHaveLength(12);
    expect(finalized.body.nextToken).toBeUndefined();
  });

  it('PUT intervals answers the first page: limit 50, offset 0, total = the resulting count', async () => {
    const created = await t.http().post('/v0/billingSchedules').set(t.auth()).send(scheduleBody());
    const put = (count: number) =>
      t
        .http()
        .put(`/v0/billingSchedules/${created.body.id}/intervals`)
        .set(t.auth())
        .send({ intervals: Array.from({ length: count }, () => intervalBody()) });

    const many = await put(120);
    expect(many.status).toBe(200);
    expect(many.body.object).toBe('list');
    expect(many.body.data).toHaveLength(50);
    expect(many.body.pagination).toEqual({ limit: 50, offset: 0, total: 120 });
    const listed = await t
      .http()
      .get(`/v0/billingSchedules/${created.body.id}/intervals`)
      .set(t.auth());
    expect(many.body.data).toEqual(listed.body.data);

    const none = await put(0);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({
      object: 'list',
      data: [],
      pagination: { limit: 50, offset: 0, total: 0 },
    });
  });
});
