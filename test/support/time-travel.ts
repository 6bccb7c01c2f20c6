/// <reference types="jest" />
/**
 * The time-travel acceptance scenario (issue 8, item 2), run over HTTP against any running app:
 * the embedded store (test/time-travel.e2e-spec.ts) and MongoDB + Kafka
 * (test/integration/time-travel.int-spec.ts).
 *
 * Commands on two schedules and one account run one after another at distinct instants; after
 * each, every GET is recorded as it answers live. Then `?asOf` at each command's instant and
 * between each pair of consecutive commands must answer exactly what was recorded after the
 * earlier one (status, ETag and body), and must equal a fold of the streams computed here with
 * the domain's pure evolve, the period engine and the pricing-cycle engine.
 */
import type request from 'supertest';
import {
  billingPeriods,
  emptyAccountSchedules,
  evolve,
  evolveAccountSchedules,
  pricingCycles,
  type AccountSchedulesEvent,
  type AccountSchedulesState,
  type BillingScheduleEvent,
  type BillingScheduleState,
} from '@app/domain';
import { intervalBody, scheduleBody, TENANT_A } from './test-app';

export interface HttpTarget {
  http: () => ReturnType<typeof request>;
  auth: (key?: string) => Record<string, string>;
}

interface Envelope {
  type: string;
  version: number;
  streamId: string;
  occurredAt: string;
  data: unknown;
}

/** A list item of any answer: only the fields the checks read are named. */
type Row = { id: string } & Record<string, unknown>;

interface Body {
  id?: string;
  data?: Row[];
  message?: string;
  code?: string;
  details?: { errors: { field: string }[] };
  [field: string]: unknown;
}

interface Answer {
  status: number;
  etag: string | undefined;
  body: Body;
}

const rows = (answer: Answer): Row[] => answer.body.data ?? [];
const envelopes = (answer: Answer) => rows(answer) as unknown as Envelope[];

const BASE = '/v0/billingSchedules';
/** Hundreds of requests per test; on FerretDB every read scans its collection. */
const TIMEOUT_MS = 300_000;
const ACCOUNT = 'ACC_TT';
const V2 = `/v2/accounts/${ACCOUNT}`;
const CYCLE = { interval: 'MONTHLY', startOffset: { dayOffset: '1' }, gracePeriod: 2 };

const associate = (plan: string, from: string, until?: string) => ({
  mode: 'ASSOCIATE',
  effectiveFrom: from,
  ...(until ? { effectiveUntil: until } : {}),
  associationConfig: {
    pricePlanId: plan,
    pricePlanInfo: { name: `Plan ${plan}` },
    pricingCycleConfig: CYCLE,
    supportedCurrencies: ['USD'],
  },
});
const grant = (licenseId: string, updateType: string, quantity: number) => ({
  type: 'GRANT_LICENSE',
  config: { licenseId, updateType, quantity },
});

/** Events are stamped with the server clock in milliseconds: a pause keeps commands apart. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 4));
const withAsOf = (path: string, asOf: string) =>
  `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(asOf)}`;

/**
 * `exactInstants: false` probes only between commands (half the requests, for slow servers);
 * the embedded run also probes at each command's own instant.
 */
export function describeTimeTravel(
  name: string,
  start: () => Promise<HttpTarget>,
  { exactInstants = true }: { exactInstants?: boolean } = {},
): void {
  describe(`time travel (?asOf on every GET): ${name}`, () => {
    let t: HttpTarget;
    let s1 = '';
    let s2 = '';
    /** Every GET the scenario reads; schedule paths join when the schedule exists. */
    const paths = new Set<string>([
      `${BASE}?limit=100`,
      `${BASE}?status=active`,
      `${V2}/schedules?mode=ACTIVE&pageSize=50`,
      `${V2}/schedules?mode=DRAFT&pageSize=50`,
      `${V2}/licenses`,
      `${V2}/events?pageSize=50`,
    ]);
    /** After command i: every path's live answer. */
    const snapshots: Map<string, Answer>[] = [];
    const accountScheduleIds = new Set<string>();

    const get = async (path: string): Promise<Answer> => {
      const res = await t.http().get(path).set(t.auth());
      return { status: res.status, etag: res.headers.etag, body: res.body };
    };

    const scheduleRead = (id: string) => [
      `${BASE}/${id}`,
      `${BASE}/${id}/intervals?limit=100`,
      `${BASE}/${id}/periods?limit=100`,
      `${BASE}/${id}/invoices?limit=100`,
      `${BASE}/${id}/events?limit=100`,
    ];
    const cyclesPath = (id: string) => `${V2}/schedules/${id}/pricing_cycles?count=6`;

    async function command(
      send: () => Promise<{ status: number; body: Body }>,
      expected: number,
    ): Promise<Body> {
      await pause();
      const res = await send();
      expect(res.status).toBe(expected);
      const snapshot = new Map<string, Answer>();
      for (const path of paths) snapshot.set(path, await get(path));
      for (const key of ['ACTIVE', 'DRAFT']) {
        const listed = snapshot.get(`${V2}/schedules?mode=${key}&pageSize=50`)!.body.data;
        for (const schedule of listed ?? []) accountScheduleIds.add(schedule.id);
      }
      for (const id of accountScheduleIds) {
        if (!paths.has(cyclesPath(id))) {
          paths.add(cyclesPath(id));
          snapshot.set(cyclesPath(id), await get(cyclesPath(id)));
        }
      }
      snapshots.push(snapshot);
      await pause();
      return res.body;
    }

    const post = (path: string, body?: object) => () =>
      t.http().post(path).set(t.auth()).send(body);
    const patch = (path: string, body: object) => () =>
      t.http().patch(path).set(t.auth()).send(body);
    const put = (path: string, body: object) => () => t.http().put(path).set(t.auth()).send(body);
    const del = (path: string) => () => t.http().delete(path).set(t.auth());

    /** The whole history as the server recorded it (readable by asOf after a delete). */
    let scheduleEvents: Record<string, Envelope[]> = {};
    let accountEvents: Envelope[] = [];
    let instants: number[] = [];

    beforeAll(async () => {
      t = await start();
      const created = await command(post(BASE, scheduleBody({ orderId: 'ord_tt_1' })), 201);
      s1 = created.id!;
      scheduleRead(s1).forEach((path) => paths.add(path));
      snapshots[snapshots.length - 1] = new Map(
        await Promise.all([...paths].map(async (p) => [p, await get(p)] as const)),
      );
      await command(patch(`${BASE}/${s1}`, { paymentTermDays: 14, metadata: { step: 2 } }), 200);
      await command(
        post(`${V2}/edit_schedules?discard=false`, {
          edits: [associate('A', '2024-01-01', '2024-07-01')],
        }),
        200,
      );
      await command(put(`${BASE}/${s1}/intervals`, { intervals: [intervalBody()] }), 200);
      const second = await command(post(BASE, scheduleBody({ orderId: 'ord_tt_2' })), 201);
      s2 = second.id!;
      scheduleRead(s2).forEach((path) => paths.add(path));
      snapshots[snapshots.length - 1] = new Map(
        await Promise.all([...paths].map(async (p) => [p, await get(p)] as const)),
      );
      await command(post(`${BASE}/${s1}/invoices`), 201);
      await command(
        post(`${V2}/finalize_schedules`, { preActions: [grant('seats', 'RELATIVE', 5)] }),
        200,
      );
      await command(patch(`${BASE}/${s1}`, { status: 'active' }), 200);
      await command(
        post(`${V2}/edit_schedules?discard=false`, {
          edits: [associate('B', '2024-03-01', '2024-05-01')],
        }),
        200,
      );
      await command(
        put(`${BASE}/${s1}/intervals`, {
          intervals: [
            intervalBody({
              unitPrice: '12.50',
              quantityTransitions: [{ effectiveDate: '2024-02-15T00:00:00Z', quantity: '4' }],
            }),
          ],
        }),
        200,
      );
      await command(post(`${BASE}/${s1}/invoices`), 201);
      await command(
        post('/v1/tasks/scheduled/schedule-update-billing-period', {
          asOf: '2024-03-01T00:00:00Z',
        }),
        200,
      );
      await command(del(`${V2}/discard_schedules`), 200);
      await command(
        post(`${V2}/edit_schedules?discard=false`, { edits: [associate('C', '2024-08-01')] }),
        200,
      );
      await command(
        post(`${V2}/finalize_schedules`, {
          mergeSchedules: true,
          preActions: [grant('seats', 'ABSOLUTE', 3)],
        }),
        200,
      );
      await command(del(`${BASE}/${s2}`), 204);
      await command(patch(`${BASE}/${s1}`, { metadata: { step: 17 } }), 200);

      const now = new Date().toISOString();
      for (const id of [s1, s2]) {
        scheduleEvents[id] = envelopes(await get(withAsOf(`${BASE}/${id}/events?limit=100`, now)));
      }
      accountEvents = envelopes(await get(withAsOf(`${V2}/events?pageSize=50`, now)));
      const all = [...scheduleEvents[s1], ...scheduleEvents[s2], ...accountEvents];
      instants = [...new Set(all.map((event) => Date.parse(event.occurredAt)))].sort(
        (a, b) => a - b,
      );
    }, TIMEOUT_MS);

    afterAll(() => {
      scheduleEvents = {};
      accountEvents = [];
    });

    it(
      'recorded one distinct instant per command and at least 6 versions of a schedule',
      () => {
        expect(instants).toHaveLength(snapshots.length);
        expect(scheduleEvents[s1].at(-1)!.version).toBeGreaterThanOrEqual(6);
        expect(new Set(scheduleEvents[s1].map((e) => e.type)).size).toBeGreaterThanOrEqual(6);
        expect(accountEvents.map((e) => e.type)).toContain('AccountScheduleDraftDiscarded');
      },
      TIMEOUT_MS,
    );

    /** asOf at each command's instant and halfway to the next one. */
    const probes = () =>
      instants.flatMap((instant, i) => {
        const next = instants[i + 1];
        const mid = next === undefined ? instant + 1 : Math.floor((instant + next) / 2);
        const between = { i, asOf: new Date(mid).toISOString() };
        return exactInstants ? [{ i, asOf: new Date(instant).toISOString() }, between] : [between];
      });

    it(
      'answers every GET exactly as it answered live right after the earlier command',
      async () => {
        let compared = 0;
        for (const { i, asOf } of probes()) {
          const snapshot = snapshots[i];
          for (const path of paths) {
            const answer = await get(withAsOf(path, asOf));
            const live = snapshot.get(path);
            const where = `${path} as of ${asOf} (after command ${i + 1})`;
            if (live === undefined || live.status === 404) {
              // Not there yet, or deleted by then; a deleted schedule's events stay readable.
              if (path.includes('/events') && live !== undefined) continue;
              expect({ where, status: answer.status }).toEqual({ where, status: 404 });
              expect(answer.body.message).toContain(`did not exist at ${asOf}`);
              continue;
            }
            expect({ where, ...answer }).toEqual({ where, ...live });
            compared += 1;
          }
        }
        expect(compared).toBeGreaterThan(snapshots.length * 10);
      },
      TIMEOUT_MS,
    );

    it(
      'equals a fold of the streams computed in the test with the domain engines',
      async () => {
        for (const { asOf } of probes()) {
          const cutoff = Date.parse(asOf);
          const upTo = (events: Envelope[]) =>
            events.filter((event) => Date.parse(event.occurredAt) <= cutoff);
          for (const id of [s1, s2]) {
            const past = upTo(scheduleEvents[id]);
            const state = past.reduce<BillingScheduleState>(
              (s, e) => evolve(s, e as unknown as BillingScheduleEvent, e.version),
              null,
            );
            const [one, intervals, periods, invoices, events] = await Promise.all(
              scheduleRead(id).map((path) => get(withAsOf(path, asOf))),
            );
            expect(events.body.data).toEqual(past.length > 0 ? past : undefined);
            if (state === null || state.deletedAt !== null) {
              expect(one.status).toBe(404);
              expect(periods.status).toBe(404);
              continue;
            }
            const etag = `"${state.version}"`;
            for (const answer of [one, intervals, periods, invoices, events]) {
              expect(answer.etag).toBe(etag);
            }
            expect(one.body).toMatchObject({
              id,
              version: state.version,
              status: state.status,
              updatedAt: state.updatedAt,
              paymentTermDays: state.paymentTermDays,
              metadata: state.metadata,
              currentPeriodStart: state.currentPeriodStart,
              currentPeriodEnd: state.currentPeriodEnd,
            });
            expect(rows(intervals).map((x: Row) => [x.id, x.unitPrice])).toEqual(
              state.intervals.map((x) => [x.id, x.unitPrice]),
            );
            expect(periods.body.data).toEqual(
              JSON.parse(JSON.stringify(billingPeriods(state, state.intervals))),
            );
            const newestFirst = [...state.invoices].sort(
              (a, b) => Date.parse(b.periodStart) - Date.parse(a.periodStart),
            );
            expect(rows(invoices).map((x: Row) => [x.id, x.status, x.amount])).toEqual(
              newestFirst.map((x) => [x.id, x.status, x.amount]),
            );
          }
          const list = await get(withAsOf(`${BASE}?limit=100`, asOf));
          const existing = [s1, s2].filter((id) => {
            const created = scheduleEvents[id][0];
            const deleted = scheduleEvents[id].find((e) => e.type === 'BillingScheduleDeleted');
            return (
              Date.parse(created.occurredAt) <= cutoff &&
              (deleted === undefined || Date.parse(deleted.occurredAt) > cutoff)
            );
          });
          expect(
            rows(list)
              .map((s: Row) => s.id)
              .sort(),
          ).toEqual(existing.sort());

          const account = upTo(accountEvents).reduce<AccountSchedulesState>(
            (s, e) => evolveAccountSchedules(s, e as unknown as AccountSchedulesEvent, e.version),
            emptyAccountSchedules(TENANT_A.tenant, ACCOUNT),
          );
          const active = await get(withAsOf(`${V2}/schedules?mode=ACTIVE&pageSize=50`, asOf));
          const draft = await get(withAsOf(`${V2}/schedules?mode=DRAFT&pageSize=50`, asOf));
          const licenses = await get(withAsOf(`${V2}/licenses`, asOf));
          expect(active.etag).toBe(`"${account.version}"`);
          expect(rows(active).map((s: Row) => [s.id, s.pricePlanId, s.startDate])).toEqual(
            account.active.map((s) => [s.id, s.pricePlanId, s.startDate]),
          );
          expect(rows(draft).map((s: Row) => s.id)).toEqual(
            (account.draft?.schedules ?? []).map((s) => s.id),
          );
          expect(rows(licenses).map((l: Row) => [l.licenseId, l.quantity])).toEqual(
            Object.values(account.licenses).map((l) => [l.licenseId, l.quantity]),
          );
          for (const id of accountScheduleIds) {
            const cycles = await get(withAsOf(cyclesPath(id), asOf));
            const schedule =
              account.active.find((s) => s.id === id) ??
              account.draft?.schedules.find((s) => s.id === id);
            if (!schedule) {
              expect(cycles.status).toBe(404);
              continue;
            }
            expect(cycles.body.data).toEqual(
              pricingCycles(
                schedule.accountScheduleInfo.pricingCycleConfig,
                schedule.startDate,
                schedule.endDate,
                6,
              ),
            );
          }
        }
      },
      TIMEOUT_MS,
    );

    it(
      'answers 404 saying so before anything existed, and the live state for a future asOf',
      async () => {
        const before = new Date(instants[0] - 1000).toISOString();
        const missing = await get(withAsOf(`${BASE}/${s1}/periods`, before));
        expect(missing.status).toBe(404);
        expect(missing.body).toMatchObject({
          code: 'not_found',
          message: `billing schedule ${s1} did not exist at ${before}`,
        });
        expect((await get(withAsOf(`${BASE}?limit=100`, before))).body.data).toEqual([]);

        const future = '2999-01-01T00:00:00Z';
        for (const path of paths) {
          if (path.includes(s2)) continue;
          expect({ path, ...(await get(withAsOf(path, future))) }).toEqual({
            path,
            ...(await get(path)),
          });
        }
      },
      TIMEOUT_MS,
    );

    it(
      'refuses an asOf that is not a strict instant on every GET, with field details',
      async () => {
        for (const path of [...paths].filter((p) => !p.includes(s2))) {
          const res = await get(withAsOf(path, '2024-13-01T00:00:00Z'));
          expect({ path, status: res.status, code: res.body.code }).toEqual({
            path,
            status: 400,
            code: 'validation_error',
          });
          expect((res.body.details?.errors ?? []).map((e: { field: string }) => e.field)).toContain(
            'asOf',
          );
        }
      },
      TIMEOUT_MS,
    );

    it(
      "never shows another tenant's schedule, past or present",
      async () => {
        const asOf = new Date(instants.at(-1)!).toISOString();
        const other = await t
          .http()
          .get(withAsOf(`${BASE}/${s1}/intervals`, asOf))
          .set(t.auth('key_tenant_b'));
        expect(other.status).toBe(404);
        const list = await t
          .http()
          .get(withAsOf(`${BASE}?limit=100`, asOf))
          .set(t.auth('key_tenant_b'));
        expect(list.body.data).toEqual([]);
      },
      TIMEOUT_MS,
    );
  });
}
