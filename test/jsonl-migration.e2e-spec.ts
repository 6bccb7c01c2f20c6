import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EVENT_LOG_FILE,
  IDEMPOTENCY_LOG_FILE,
  IDEMPOTENCY_STORE,
  SQLITE_DATABASE,
  type IdempotencyStore,
  type NewEvent,
  type SqliteDatabase,
  type StoredEvent,
} from '@app/event-store';
import { OUTBOX_RELAY_LEASE, SqliteCheckpointStore } from '@app/messaging';
import { startTestApp, TENANT_A, type TestApp } from './support/test-app';

/**
 * Issue 9: a DATA_DIR written by the pre-SQLite service (events.jsonl, idempotency.jsonl, the
 * relay's checkpoint file) is imported on the first start of the service and served from the
 * database; a second start does not import again.
 */
const FIXTURE = join(__dirname, 'fixtures', 'billing-period-updated-v1.stream.json');

describe('first start on a DATA_DIR of the JSON-lines store', () => {
  let t: TestApp | undefined;
  let dataDir: string;
  let stored: StoredEvent[];
  let scheduleId: string;
  const record = {
    tenantId: TENANT_A.tenant,
    key: 'create-before-upgrade',
    requestHash: 'a-request-hash',
    statusCode: 201,
    body: { id: 'bs_V1FixtureSchedule000001' },
    createdAt: new Date().toISOString(),
  };

  beforeAll(async () => {
    const fixture = JSON.parse(await readFile(FIXTURE, 'utf8')) as {
      streamId: string;
      streamType: string;
      tenantId: string;
      events: NewEvent[];
    };
    const { streamId, streamType, tenantId } = fixture;
    scheduleId = (fixture.events[0].data as { scheduleId: string }).scheduleId;
    // As the old store wrote it: one line per append, each event with its version and position.
    stored = fixture.events.map((event, i) => ({
      ...event,
      streamId,
      streamType,
      tenantId,
      version: i + 1,
      position: i + 1,
      recordedAt: event.occurredAt,
    }));
    const commits = [stored.slice(0, 2), stored.slice(2)].map((events, i) =>
      JSON.stringify({ commitId: `commit-${i}`, streamId, streamType, tenantId, events }),
    );
    dataDir = await mkdtemp(join(tmpdir(), 'billing-migration-'));
    await writeFile(join(dataDir, EVENT_LOG_FILE), commits.map((line) => `${line}\n`).join(''));
    await writeFile(join(dataDir, IDEMPOTENCY_LOG_FILE), `${JSON.stringify(record)}\n`);
    await writeFile(join(dataDir, `checkpoint-${OUTBOX_RELAY_LEASE}.json`), '{"position":3}');
  });
  afterAll(() => t?.destroy());

  const db = () => t!.app.get<SqliteDatabase>(SQLITE_DATABASE);
  const eventCount = () =>
    (db().prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

  it('imports every event, idempotency record and checkpoint, and serves them', async () => {
    t = await startTestApp({ dataDir });

    expect(
      db().prepare('SELECT id, version, position, recorded_at AS recordedAt FROM events').all(),
    ).toEqual(
      stored.map(({ id, version, position, recordedAt }) => ({
        id,
        version,
        position,
        recordedAt,
      })),
    );
    const res = await t.http().get(`/v0/billingSchedules/${scheduleId}`).set(t.auth());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', version: stored.length });
    const events = await t.http().get(`/v0/billingSchedules/${scheduleId}/events`).set(t.auth());
    expect((events.body.data as { id: string }[]).map((e) => e.id)).toEqual(
      stored.map((e) => e.id),
    );
    expect(
      await t.app.get<IdempotencyStore>(IDEMPOTENCY_STORE).get(record.tenantId, record.key),
    ).toEqual(record);
    expect(await new SqliteCheckpointStore(db()).get(OUTBOX_RELAY_LEASE)).toBe(3);
    expect(await readdir(dataDir)).toEqual(
      expect.arrayContaining([
        `${EVENT_LOG_FILE}.migrated`,
        `${IDEMPOTENCY_LOG_FILE}.migrated`,
        `checkpoint-${OUTBOX_RELAY_LEASE}.json.migrated`,
      ]),
    );
    expect(await readdir(dataDir)).not.toContain(EVENT_LOG_FILE);
  });

  it('continues the imported stream, and a second start imports nothing again', async () => {
    const patched = await t!
      .http()
      .patch(`/v0/billingSchedules/${scheduleId}`)
      .set(t!.auth())
      .send({ metadata: { after: 'upgrade' } });
    expect(patched.status).toBe(200);
    expect(patched.body.version).toBe(stored.length + 1);
    await t!.close();

    t = await startTestApp({ dataDir });

    expect(eventCount()).toBe(stored.length + 1);
    const res = await t.http().get(`/v0/billingSchedules/${scheduleId}`).set(t.auth());
    expect(res.body).toMatchObject({ version: stored.length + 1, metadata: { after: 'upgrade' } });
  });
});
