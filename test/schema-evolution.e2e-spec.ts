import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  EVENT_STORE,
  InMemoryLeaseStore,
  openSqliteDatabase,
  toStoredEvent,
  type EventRow,
  type EventStore,
  type NewEvent,
} from '@app/event-store';
import {
  cloudEventHeadersOf,
  envelopeSchemaOf,
  InMemoryCheckpointStore,
  OutboxRelay,
  toKafkaMessage,
  type EventEnvelope,
  type OutgoingMessage,
} from '@app/messaging';
import { eventSchemaProblem } from './support/event-schema-check';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 8 §6: BillingPeriodUpdated went from schemaVersion 1 (currentPeriodStart and
 * currentPeriodEnd) to 2 (currentPeriod: {startDate, endDate} | null). A stream stored by the
 * old code (test/fixtures, written in the v1 shape and never regenerated) is appended raw and
 * read as v2 through the API, the feed, the store read paths every reader shares (folds,
 * …/events, the read-model rebuild) and the outbox relay; the stored line itself stays v1.
 */

interface StreamFixture {
  streamId: string;
  streamType: string;
  tenantId: string;
  events: NewEvent[];
}

const FIXTURE = join(__dirname, 'fixtures', 'billing-period-updated-v1.stream.json');

describe('a BillingPeriodUpdated stored as schemaVersion 1 reads as schemaVersion 2', () => {
  let t: TestApp;
  let fixture: StreamFixture;
  let v1: NewEvent;
  let scheduleId: string;
  const store = () => t.app.get<EventStore>(EVENT_STORE);

  beforeAll(async () => {
    fixture = JSON.parse(await readFile(FIXTURE, 'utf8')) as StreamFixture;
    v1 = fixture.events.at(-1)!;
    scheduleId = (v1.data as { scheduleId: string }).scheduleId;
    const writer = await startTestApp();
    // As the old code stored it: appended raw, no decider, no projection.
    await writer.app.get<EventStore>(EVENT_STORE).append({
      streamId: fixture.streamId,
      streamType: fixture.streamType,
      tenantId: fixture.tenantId,
      expectedVersion: 0,
      events: fixture.events,
    });
    await writer.close();
    // A restart rebuilds the read models from the store, through the upcasters.
    t = await startTestApp({ dataDir: writer.dataDir });
  });
  afterAll(() => t.destroy());

  it('the fixture is the old shape, and the store keeps it as it was written', async () => {
    expect(v1).toMatchObject({ type: 'BillingPeriodUpdated', schemaVersion: 1 });
    expect(v1.data).toHaveProperty('currentPeriodStart', '2024-02-01T00:00:00Z');
    expect(v1.data).not.toHaveProperty('currentPeriod');
    // The row as stored, read beside the running service (as an analyst's SQLite shell would).
    const db = openSqliteDatabase(t.dataDir, { readonly: true });
    const row = db.prepare('SELECT * FROM events WHERE id = ?').get(v1.id) as EventRow;
    db.close();
    const written = toStoredEvent(row);
    expect(row.schema_version).toBe(1);
    expect(written.data).toEqual(v1.data);
    // Read raw, it is a superseded version: the e2e check of every suite would refuse it.
    expect(eventSchemaProblem(written)).toMatch(/superseded/);
  });

  it('GET …/events answers it as v2, valid for the documented v2 envelope', async () => {
    const res = await t.http().get(`/v0/billingSchedules/${scheduleId}/events`).set(t.auth());
    expect(res.status).toBe(200);
    const event = (res.body.data as EventEnvelope[]).find((e) => e.id === v1.id)!;
    expect(event.schemaVersion).toBe(2);
    expect(event.data).toEqual({
      scheduleId,
      closedPeriod: (v1.data as { closedPeriod: unknown }).closedPeriod,
      currentPeriod: { startDate: '2024-02-01T00:00:00Z', endDate: '2024-03-01T00:00:00Z' },
      pushedInvoiceId: (v1.data as { pushedInvoiceId: string }).pushedInvoiceId,
      asOf: '2024-02-01T00:00:00Z',
      runId: (v1.data as { runId: string }).runId,
      updatedAt: v1.occurredAt,
    });
    expect(envelopeSchemaOf('BillingPeriodUpdated', 2)!.safeParse(event).error).toBeUndefined();
  });

  it('the schedule, its invoices and its history (?asOf) are folded from it', async () => {
    const get = (path: string) => t.http().get(`/v0/billingSchedules/${scheduleId}${path}`);
    const schedule = (await get('').set(t.auth())).body;
    expect(schedule).toMatchObject({
      status: 'active',
      currentPeriodStart: '2024-02-01T00:00:00Z',
      currentPeriodEnd: '2024-03-01T00:00:00Z',
      version: 5,
    });
    const invoices = (await get('/invoices').set(t.auth())).body.data as { status: string }[];
    expect(invoices.map((i) => i.status).sort()).toEqual(['pushed', 'staged', 'staged']);
    const before = (await get(`?asOf=2025-06-02T09:00:00.700Z`).set(t.auth())).body;
    expect(before).toMatchObject({ currentPeriodStart: '2024-01-01T00:00:00Z', version: 4 });
    const then = (await get(`?asOf=${v1.occurredAt}`).set(t.auth())).body;
    expect(then).toMatchObject({ currentPeriodStart: '2024-02-01T00:00:00Z', version: 5 });
  });

  it('the store read paths shared by every reader (folds, …/events, ?asOf, the feed) give v2', async () => {
    const read = [
      ...(await store().readAll()),
      ...(await store().readStream(fixture.streamId)),
      ...(
        await store().readFeed({
          tenantId: fixture.tenantId,
          after: 0,
          limit: 1000,
          scanLimit: 10_000,
        })
      ).events,
    ];
    const upcast = read.filter((e) => e.id === v1.id);
    expect(upcast).toHaveLength(3);
    for (const event of upcast) {
      expect(event.schemaVersion).toBe(2);
      expect(eventSchemaProblem(event)).toBeUndefined();
    }
  });

  it('the feed (GET /v0/events) answers it as v2', async () => {
    const res = await t.http().get('/v0/events?type=BillingPeriodUpdated').set(t.auth());
    expect(res.status).toBe(200);
    const event = (res.body.data as EventEnvelope[]).find((e) => e.id === v1.id)!;
    expect(event).toMatchObject({
      schemaVersion: 2,
      data: { currentPeriod: { startDate: '2024-02-01T00:00:00Z' } },
    });
    expect(envelopeSchemaOf('BillingPeriodUpdated', 2)!.safeParse(event).error).toBeUndefined();
  });

  it('the outbox relay publishes it as v2, with the headers the document describes', async () => {
    const published: OutgoingMessage[] = [];
    const relay = new OutboxRelay({
      store: store(),
      sink: { send: async (events) => void published.push(...events.map(toKafkaMessage)) },
      leases: new InMemoryLeaseStore(),
      checkpoints: new InMemoryCheckpointStore(),
    });
    expect(await relay.drain()).toBe(fixture.events.length);
    const message = published.find((m) => m.headers.ce_id === v1.id)!;
    expect(message.key).toBe(fixture.streamId);
    const envelope = JSON.parse(message.value) as EventEnvelope;
    expect(envelope).toMatchObject({
      schemaVersion: 2,
      data: { currentPeriod: { startDate: '2024-02-01T00:00:00Z' } },
    });
    expect(envelope.data).not.toHaveProperty('currentPeriodStart');
    expect(envelopeSchemaOf('BillingPeriodUpdated', 2)!.safeParse(envelope).error).toBeUndefined();
    const headers = cloudEventHeadersOf({
      type: 'BillingPeriodUpdated',
      streamType: fixture.streamType,
    });
    expect(headers.safeParse(message.headers).error).toBeUndefined();
  });

  it('the next command decides on the upcast state: the task closes the following period as v2', async () => {
    const res = await t
      .http()
      .post('/v1/tasks/scheduled/schedule-update-billing-period')
      .set(t.auth())
      .send({ asOf: '2024-03-01T00:00:00Z' });
    expect(res.body).toMatchObject({ periodsClosed: 1 });
    const events = (await t.http().get(`/v0/billingSchedules/${scheduleId}/events`).set(t.auth()))
      .body.data as EventEnvelope[];
    expect(events.at(-1)).toMatchObject({
      type: 'BillingPeriodUpdated',
      schemaVersion: 2,
      version: 6,
      data: {
        closedPeriod: { index: 1, startDate: '2024-02-01T00:00:00Z' },
        currentPeriod: { startDate: '2024-03-01T00:00:00Z', endDate: '2024-04-01T00:00:00Z' },
      },
    });
  });
});
