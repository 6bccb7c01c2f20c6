import { Writable } from 'node:stream';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  intervalBody,
  scheduleBody,
  startTestApp,
  TENANT_A,
  TENANT_B,
  type TestApp,
} from './support/test-app';

/** Collects the app's JSON log lines. */
function logCapture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { stream, lines, raw };
}

/** The value of one sample of the Prometheus text format, 0 when absent. */
function sample(metrics: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = metrics
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        wanted.every((label) => l.includes(label)),
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** Waits until the access-log line of this request id is written (on the response's finish). */
async function accessLine(lines: Record<string, unknown>[], requestId: string) {
  for (let i = 0; i < 50; i++) {
    const line = lines.find(
      (l) => l.requestId === requestId && /^request (completed|errored)$/.test(String(l.msg)),
    );
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no access-log line for ${requestId}`);
}

describe('operability', () => {
  // nestjs-pino keeps one root logger per process, made by the first app: this block's app
  // (and its capture stream) must be the first this file starts.
  describe('access log', () => {
    let t: TestApp;
    const log = logCapture();
    beforeAll(async () => {
      t = await startTestApp({ env: { LOG_LEVEL: 'info' }, logDestination: log.stream });
    });
    afterAll(() => t.destroy());

    it('writes one JSON line per request with request id, tenant, route, method, status and duration; keys redacted', async () => {
      const created = await t
        .http()
        .post('/v0/billingSchedules')
        .set(t.auth())
        .set('X-Request-Id', 'ops-create-1')
        .send(scheduleBody());
      expect(created.status).toBe(201);
      expect(created.headers['x-request-id']).toBe('ops-create-1');
      const fetched = await t
        .http()
        .get(`/v0/billingSchedules/${created.body.id}`)
        .set('x-api-key', TENANT_A.key)
        .set('X-Request-Id', 'ops-get-1');
      expect(fetched.status).toBe(200);

      const post = await accessLine(log.lines, 'ops-create-1');
      expect(post).toMatchObject({
        level: 30,
        requestId: 'ops-create-1',
        tenant: TENANT_A.tenant,
        route: '/v0/billingSchedules',
        req: { method: 'POST', url: '/v0/billingSchedules' },
        res: { statusCode: 201 },
      });
      expect(typeof post.durationMs).toBe('number');
      expect((post.req as { headers: Record<string, string> }).headers.authorization).toBe(
        '[redacted]',
      );
      const get = await accessLine(log.lines, 'ops-get-1');
      expect(get).toMatchObject({
        route: '/v0/billingSchedules/:id',
        tenant: TENANT_A.tenant,
        res: { statusCode: 200 },
      });
      expect((get.req as { headers: Record<string, string> }).headers['x-api-key']).toBe(
        '[redacted]',
      );
      expect(log.raw.join('\n')).not.toContain(TENANT_A.key);

      // The same id is the events' correlationId.
      const events = await t
        .http()
        .get(`/v0/billingSchedules/${created.body.id}/events`)
        .set(t.auth());
      expect(events.body.data[0].metadata.correlationId).toBe('ops-create-1');
    });

    it('logs a generated request id when none is given, and 404s without a tenant or route', async () => {
      const response = await t.http().get('/no/such/path');
      expect(response.status).toBe(404);
      const id = response.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const line = await accessLine(log.lines, id);
      expect(line.res).toEqual({ statusCode: 404 });
      expect(line).not.toHaveProperty('tenant');
      expect(line).not.toHaveProperty('route');
    });

    // Last in this block: it closes the store under the running app.
    it('logs a 5xx at level error with the request id, on the access line and with the stack', async () => {
      await t.app.get<EventStore>(EVENT_STORE).close();
      const failed = await t
        .http()
        .post('/v0/billingSchedules')
        .set(t.auth())
        .set('X-Request-Id', 'ops-fail-1')
        .send(scheduleBody());
      expect(failed.status).toBe(500);
      expect(failed.body.code).toBe('internal_error');
      const access = await accessLine(log.lines, 'ops-fail-1');
      expect(access).toMatchObject({ level: 50, res: { statusCode: 500 } });
      const stack = log.lines.find(
        (l) => l.level === 50 && l.msg !== access.msg && l.requestId === 'ops-fail-1',
      );
      expect(String(stack?.msg)).toContain('ops-fail-1');
    });
  });

  describe('rate limits', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        env: { RATE_LIMIT_PER_MINUTE: '5', AUTH_FAILURE_LIMIT_PER_MINUTE: '3' },
      });
    });
    afterAll(() => t.destroy());

    it('answers 429 with Retry-After once a tenant passes its rate; other tenants and ops routes go on', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await t.http().get('/v0/billingSchedules').set(t.auth())).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      const limited = await t.http().get('/v0/billingSchedules').set(t.auth());
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        code: 'service_unavailable',
        message: expect.stringContaining('5 requests for this tenant per minute'),
        http_status_code: 429,
        details: { reason: 'tenant', limit: 5, retryAfterSeconds: expect.any(Number) },
      });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Another route of the same tenant shares the bucket.
      expect((await t.http().post('/v0/billingSchedules').set(t.auth()).send({})).status).toBe(429);

      expect((await t.http().get('/v0/billingSchedules').set(t.auth(TENANT_B.key))).status).toBe(
        200,
      );
      for (let i = 0; i < 8; i++) {
        expect((await t.http().get('/health/live')).status).toBe(200);
        expect((await t.http().get('/health/ready')).status).toBe(200);
        expect((await t.http().get('/metrics')).status).toBe(200);
      }
      const metrics = (await t.http().get('/metrics')).text;
      expect(sample(metrics, 'rate_limited_requests_total', { reason: 'tenant' })).toBe(2);
    });

    it('answers 429 to an address after too many failed authentications, never to a valid key', async () => {
      const wrong = () => t.http().get('/v0/billingSchedules').set('x-api-key', 'not-a-key');
      expect((await wrong()).status).toBe(401);
      expect((await t.http().get('/v0/billingSchedules')).status).toBe(401); // no key at all
      expect((await wrong()).status).toBe(401);
      const limited = await wrong();
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({
        code: 'service_unavailable',
        http_status_code: 429,
        details: { reason: 'auth', limit: 3 },
      });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await t.http().get('/v0/billingSchedules')).status).toBe(429);

      const valid = await t.http().get('/v0/billingSchedules').set(t.auth(TENANT_B.key));
      expect(valid.status).toBe(200);
      const metrics = (await t.http().get('/metrics')).text;
      expect(sample(metrics, 'rate_limited_requests_total', { reason: 'auth' })).toBe(2);
    });
  });

  describe('HTTP hygiene', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.destroy());

    it('answers 405 with Allow for a method a known path does not serve; unknown paths stay 404', async () => {
      const trace = await t.http().trace('/v0/billingSchedules').set(t.auth());
      expect(trace.status).toBe(405);
      expect(trace.headers.allow).toBe('GET, POST');
      expect(trace.body).toEqual({
        code: 'invalid_operation',
        message: expect.stringContaining('TRACE'),
        http_status_code: 405,
        details: { allowedMethods: ['GET', 'POST'] },
      });
      const remove = await t.http().delete('/v0/billingSchedules');
      expect(remove.status).toBe(405);
      expect(remove.headers.allow).toBe('GET, POST');
      const put = await t.http().put('/v0/billingSchedules/bs_unknown').set(t.auth()).send({});
      expect(put.status).toBe(405);
      expect(put.headers.allow).toBe('GET, PATCH, DELETE');
      const patchTask = await t.http().get('/v1/tasks/scheduled/schedule-update-billing-period');
      expect(patchTask.status).toBe(405);
      expect(patchTask.headers.allow).toBe('POST');
      // QUERY (RFC 10008) carries a body; no route serves it, so it is a 405 before any body rule.
      const server = t.app.getHttpServer();
      const query = await new request.Test(server, 'QUERY', '/v0/billingSchedules').set(t.auth());
      expect(query.status).toBe(405);
      expect(query.headers.allow).toBe('GET, POST');

      expect((await t.http().trace('/v0/nothingHere').set(t.auth())).status).toBe(404);
      const missing = await t.http().get('/v0/billingSchedules/bs_unknown').set(t.auth());
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('not_found');
    });

    it('routes a trailing slash like the path without it, and a long id to its resource lookup', async () => {
      const list = await t.http().get('/v0/billingSchedules/').set(t.auth());
      expect(list.status).toBe(200);
      expect(list.body.object).toBe('list');
      const longId = await t
        .http()
        .get(`/v0/billingSchedules/bs_${'x'.repeat(300)}`)
        .set(t.auth());
      expect(longId.status).toBe(404);
      expect(longId.body.code).toBe('not_found');
      expect(longId.body.message).not.toMatch(/^Cannot GET/); // the router's own 404
    });

    it('sends helmet security headers and no X-Powered-By', async () => {
      for (const response of [
        await t.http().get('/v0/billingSchedules').set(t.auth()),
        await t.http().get('/v0/nothingHere'),
        await t.http().get('/health/live'),
      ]) {
        expect(response.headers['x-powered-by']).toBeUndefined();
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      }
    });

    it('keeps Swagger UI loading under its own CSP: the page and every asset it names answer 200', async () => {
      const page = await t.http().get('/docs');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      // Every script is a file of its own, which the CSP's script-src 'self' allows.
      expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(page.headers['content-security-policy']).toContain("script-src 'self';");
      expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      const assets = [...page.text.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]);
      expect(assets.length).toBeGreaterThanOrEqual(3);
      for (const asset of assets) {
        const path = new URL(asset, 'http://host/docs').pathname;
        expect([path, (await t.http().get(path)).status]).toEqual([path, 200]);
      }
      expect((await t.http().get('/openapi.json')).status).toBe(200);
    });
  });

  describe('metrics', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.destroy());

    it('count events appended by type, task runs by outcome and periods closed', async () => {
      const scrape = async () => (await t.http().get('/metrics')).text;
      const before = await scrape();
      const created = await t
        .http()
        .post('/v0/billingSchedules')
        .set(t.auth())
        .send(scheduleBody({ endDate: '2024-04-01T00:00:00Z' }));
      const id = created.body.id as string;
      await t
        .http()
        .put(`/v0/billingSchedules/${id}/intervals`)
        .set(t.auth())
        .send({ intervals: [intervalBody({ endDate: '2024-04-01T00:00:00Z' })] });
      await t.http().patch(`/v0/billingSchedules/${id}`).set(t.auth()).send({ status: 'active' });
      const run = await t
        .http()
        .post('/v1/tasks/scheduled/schedule-update-billing-period')
        .set(t.auth())
        .send({ asOf: '2024-03-15T00:00:00Z' });
      expect(run.status).toBe(200);
      expect(run.body.periodsClosed).toBe(2);
      await t
        .http()
        .post('/v1/tasks/scheduled/schedule-update-billing-period')
        .set(t.auth())
        .send({ asOf: '2024-03-15T00:00:00Z', dryRun: true });

      const after = await scrape();
      const moved = (name: string, labels: Record<string, string> = {}) =>
        sample(after, name, labels) - sample(before, name, labels);
      expect(moved('events_appended_total', { type: 'BillingScheduleCreated' })).toBe(1);
      expect(moved('events_appended_total', { type: 'ScheduleIntervalsReplaced' })).toBe(1);
      expect(moved('events_appended_total', { type: 'BillingPeriodUpdated' })).toBe(2);
      expect(
        moved('billing_period_task_runs_total', { outcome: 'succeeded', trigger: 'request' }),
      ).toBe(2);
      expect(moved('billing_periods_closed_total')).toBe(2); // the dry run closed nothing
      expect(after).toContain('http_request_duration_seconds_bucket');
      // No broker configured: readiness reports the store only and no broker_up sample.
      expect(after).not.toMatch(/^broker_up\{/m);
      const ready = await t.http().get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.info).toEqual({ store: { status: 'up' } });
    });
  });
});
