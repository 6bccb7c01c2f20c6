import { spawn } from 'node:child_process';
import Decimal from 'decimal.js';
import { Kafka, logLevel } from 'kafkajs';
import { intervalBody, scheduleBody, TENANT_B } from '../support/test-app';
import { dropDatabase, KAFKA_BROKERS, uniqueName } from './support/infra';
import { ROOT, startProductionApp, waitFor } from './support/production';

type App = Awaited<ReturnType<typeof startProductionApp>>;

/** `npm run example:consumer -- --once`, exactly as the README documents it; its stdout. */
function runExampleConsumer(topic: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'example:consumer', '--', '--once'], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: KAFKA_BROKERS.join(','), KAFKA_TOPIC: topic },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`example consumer exited with ${code}: ${stderr}`));
    });
  });
}

describe('the example consumer (examples/schedule-summary-consumer.ts) against the real broker', () => {
  const db = uniqueName('example');
  const topic = uniqueName('schedule-events');
  let api: App;

  beforeAll(async () => {
    api = await startProductionApp(db, topic);
  });
  afterAll(async () => {
    await api?.close();
    await dropDatabase(db);
  });

  async function create(key?: string) {
    const created = await api
      .http()
      .post('/v0/billingSchedules')
      .set(api.auth(key))
      .send(scheduleBody());
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const intervals = await api
      .http()
      .put(`/v0/billingSchedules/${id}/intervals`)
      .set(api.auth(key))
      .send({
        intervals: [intervalBody(), intervalBody({ orderLineItemId: 'line_b', unitPrice: '2.50' })],
      });
    expect(intervals.status).toBe(200);
    return id;
  }

  /** What the API answers about a live schedule, in the summary's terms. */
  async function apiSummary(id: string, key?: string) {
    const schedule = (await api.http().get(`/v0/billingSchedules/${id}`).set(api.auth(key))).body;
    const intervals = (
      await api.http().get(`/v0/billingSchedules/${id}/intervals`).set(api.auth(key))
    ).body;
    const invoices: Array<{ status: string; amount: string }> = (
      await api.http().get(`/v0/billingSchedules/${id}/invoices?limit=100`).set(api.auth(key))
    ).body.data;
    const staged = invoices.filter((invoice) => invoice.status === 'staged');
    return {
      id,
      tenantId: schedule.merchantId,
      status: schedule.status,
      version: schedule.version,
      intervals: intervals.pagination.total,
      stagedInvoices: staged.length,
      stagedAmount: staged.reduce((sum, i) => sum.plus(i.amount), new Decimal(0)).toString(),
      periodsClosed: invoices.filter((invoice) => invoice.status === 'pushed').length,
      deleted: false,
    };
  }

  it('folds the topic from the beginning into the same per-schedule state the API answers', async () => {
    // Active with invoices staged, then three periods closed by the task (their invoices pushed).
    const active = await create();
    await api
      .http()
      .patch(`/v0/billingSchedules/${active}`)
      .set(api.auth())
      .send({ metadata: { tier: 'gold' } });
    expect(
      (await api.http().post(`/v0/billingSchedules/${active}/invoices`).set(api.auth())).status,
    ).toBe(201);
    await api
      .http()
      .patch(`/v0/billingSchedules/${active}`)
      .set(api.auth())
      .send({ status: 'active' });
    const task = await api
      .http()
      .post('/v1/tasks/scheduled/schedule-update-billing-period')
      .set(api.auth())
      .send({ asOf: '2024-04-01T00:00:00Z' });
    expect(task.body.periodsClosed).toBe(3);
    // Cancelled with invoices staged; one of another tenant left in draft; one deleted.
    const cancelled = await create();
    await api.http().post(`/v0/billingSchedules/${cancelled}/invoices`).set(api.auth());
    await api
      .http()
      .patch(`/v0/billingSchedules/${cancelled}`)
      .set(api.auth())
      .send({ status: 'cancelled' });
    const otherTenant = await create(TENANT_B.key);
    const deleted = await create();
    const beforeDelete = await apiSummary(deleted);
    expect(
      (await api.http().delete(`/v0/billingSchedules/${deleted}`).set(api.auth())).status,
    ).toBe(204);
    expect((await api.http().get(`/v0/billingSchedules/${deleted}`).set(api.auth())).status).toBe(
      404,
    );

    const expected = [
      await apiSummary(active),
      await apiSummary(cancelled),
      await apiSummary(otherTenant, TENANT_B.key),
      { ...beforeDelete, version: beforeDelete.version + 1, deleted: true },
    ].sort((a, b) => a.id.localeCompare(b.id));
    expect(expected.find((s) => s.id === active)).toMatchObject({
      status: 'active',
      periodsClosed: 3,
      stagedInvoices: 9,
    });

    // Every committed event is on the topic before the example starts (--once stops at the end).
    const kafka = new Kafka({ brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const onTopic = async () =>
      (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce(
        (n, p) => n + Number(p.high),
        0,
      );
    const events = expected.reduce((sum, s) => sum + s.version, 0);
    await waitFor('every event on the topic', async () => (await onTopic()) === events);
    // At-least-once delivery: redeliver the active schedule's creation and its invoices.
    const history = (await api.http().get(`/v0/billingSchedules/${active}/events`).set(api.auth()))
      .body.data;
    const redelivered = history.filter((e: { type: string }) =>
      ['BillingScheduleCreated', 'ScheduleInvoicesGenerated'].includes(e.type),
    );
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: redelivered.map((e: { streamId: string }) => ({
        key: e.streamId,
        value: JSON.stringify(e),
      })),
    });
    await producer.disconnect();
    expect(await onTopic()).toBe(events + 2);
    await admin.disconnect();

    expect(JSON.parse(await runExampleConsumer(topic))).toEqual(expected);
  });
});
