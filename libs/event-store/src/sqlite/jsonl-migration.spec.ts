import { appendFile, copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { DataDirLock, DataDirLockedError } from '../data-dir-lock';
import type { StoredEvent } from '../event-store.port';
import type { IdempotencyRecord } from '../idempotency-store.port';
import { EmbeddedDatabase } from './embedded-database';
import { EVENT_LOG_FILE, IDEMPOTENCY_LOG_FILE } from './jsonl-migration';
import { SqliteEventStore } from './sqlite-event-store';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store';

/**
 * A DATA_DIR as the pre-SQLite store left it: events.jsonl with one commit per line (the
 * events as stored, with positions), idempotency.jsonl with one record per line, and the
 * relay's checkpoint-<name>.json.
 */
async function writeOldDataDir(dir: string, commits: number) {
  const events: StoredEvent[] = [];
  const lines: string[] = [];
  const versions = new Map<string, number>();
  for (let c = 0; c < commits; c += 1) {
    const streamId = `billing_schedule-bs_${c % 7}`;
    const tenantId = c % 2 === 0 ? 'merchant_a' : 'merchant_b';
    const recordedAt = new Date(Date.UTC(2025, 0, 1, 0, 0, c)).toISOString();
    const commitEvents: StoredEvent[] = [];
    for (let e = 0; e < 1 + (c % 3); e += 1) {
      const version = (versions.get(streamId) ?? 0) + 1;
      versions.set(streamId, version);
      commitEvents.push({
        id: uuidv7(),
        type: 'BillingScheduleUpdated',
        schemaVersion: 1,
        streamId,
        streamType: 'billing_schedule',
        version,
        tenantId,
        occurredAt: recordedAt,
        recordedAt,
        data: { amount: `${c}.10`, nested: { list: [c] } },
        metadata: {
          correlationId: `corr-${c}`,
          causationId: `cause-${c}`,
          idempotencyKey: `k-${c}`,
        },
        position: events.length + commitEvents.length + 1,
      });
    }
    events.push(...commitEvents);
    lines.push(
      JSON.stringify({
        commitId: uuidv7(),
        streamId,
        streamType: 'billing_schedule',
        tenantId,
        events: commitEvents,
      }),
    );
  }
  await writeFile(join(dir, EVENT_LOG_FILE), lines.map((line) => `${line}\n`).join(''));
  const now = new Date().toISOString();
  const records: IdempotencyRecord[] = [
    {
      tenantId: 'merchant_a',
      key: 'create-1',
      requestHash: 'h1',
      statusCode: 201,
      body: { id: 'bs_0' },
      createdAt: now,
    },
    {
      tenantId: 'merchant_b',
      key: 'create-1',
      requestHash: 'h2',
      statusCode: 409,
      body: { code: 'x' },
      createdAt: now,
    },
  ];
  await writeFile(
    join(dir, IDEMPOTENCY_LOG_FILE),
    records.map((r) => `${JSON.stringify(r)}\n`).join(''),
  );
  await writeFile(join(dir, 'checkpoint-outbox-relay.json'), JSON.stringify({ position: 5 }));
  return { events, records };
}

describe('first start on a pre-SQLite DATA_DIR', () => {
  let dir: string;
  const opened: EmbeddedDatabase[] = [];

  const open = async () => {
    const embedded = await EmbeddedDatabase.open(dir);
    opened.push(embedded);
    return embedded;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jsonl-migration-'));
  });

  afterEach(async () => {
    for (const embedded of opened.splice(0)) await embedded.close();
    await rm(dir, { recursive: true, force: true });
  });

  const count = (embedded: EmbeddedDatabase, table: string) =>
    (embedded.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('imports every event, idempotency record and checkpoint as they were, renames the files, and imports once', async () => {
    const { events, records } = await writeOldDataDir(dir, 2_000);
    expect(events.length).toBeGreaterThan(3_000);

    const first = await open();
    const store = new SqliteEventStore(first.db);
    expect(await store.readAll()).toEqual(events);
    expect(await store.headPosition()).toBe(events.length);
    const idempotency = new SqliteIdempotencyStore(first.db);
    for (const record of records) {
      expect(await idempotency.get(record.tenantId, record.key)).toEqual(record);
    }
    expect(first.db.prepare('SELECT * FROM relay_checkpoints').all()).toEqual([
      { name: 'outbox-relay', position: 5 },
    ]);
    expect((await readdir(dir)).sort()).toEqual([
      'billing.sqlite',
      'billing.sqlite-shm',
      'billing.sqlite-wal',
      'billing.sqlite.lock',
      'checkpoint-outbox-relay.json.migrated',
      'events.jsonl.migrated',
      'idempotency.jsonl.migrated',
    ]);
    // The store continues the imported streams and positions.
    const next = await store.append({
      streamId: events[0].streamId,
      streamType: 'billing_schedule',
      tenantId: 'merchant_a',
      expectedVersion: (await store.readStream(events[0].streamId)).length,
      events: [{ ...events[0], id: uuidv7() }],
    });
    expect(next.events[0].position).toBe(events.length + 1);
    await store.close();
    await first.close();

    const second = await open();
    expect(count(second, 'events')).toBe(events.length + 1);
    expect(count(second, 'idempotency_records')).toBe(2);
    expect((await readdir(dir)).filter((name) => name.includes('migrated'))).toHaveLength(3);
  });

  it('only renames files whose import was committed before a crash, never imports them twice', async () => {
    const { events } = await writeOldDataDir(dir, 10);
    await (await open()).close();
    // A crash between the import's commit and the renames leaves the old file in place.
    await copyFile(join(dir, `${EVENT_LOG_FILE}.migrated`), join(dir, EVENT_LOG_FILE));

    const again = await open();

    expect(count(again, 'events')).toBe(events.length);
    // Renamed beside the first copy, never over it.
    const files = await readdir(dir);
    expect(files).not.toContain(EVENT_LOG_FILE);
    expect(files).toEqual(
      expect.arrayContaining([`${EVENT_LOG_FILE}.migrated`, `${EVENT_LOG_FILE}.migrated.1`]),
    );
  });

  it('drops a torn last line, as the old store did', async () => {
    const { events } = await writeOldDataDir(dir, 10);
    await appendFile(join(dir, EVENT_LOG_FILE), '{"commitId":"0190","streamId":"s-1","ev');

    const embedded = await open();

    expect(count(embedded, 'events')).toBe(events.length);
  });

  it('refuses a corrupt log, importing nothing and keeping the files', async () => {
    await writeOldDataDir(dir, 10);
    await appendFile(join(dir, EVENT_LOG_FILE), 'garbage\n{"commitId":"x"}\n');

    await expect(open()).rejects.toThrow(/unreadable line/);

    expect(await readdir(dir)).toEqual(
      expect.arrayContaining([EVENT_LOG_FILE, IDEMPOTENCY_LOG_FILE]),
    );
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(dir, 'billing.sqlite'), { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(0);
    db.close();
  });

  it('refuses to import while an old version of the service still holds the log', async () => {
    await writeOldDataDir(dir, 3);
    const oldService = await DataDirLock.acquire(dir, EVENT_LOG_FILE);

    await expect(open()).rejects.toBeInstanceOf(DataDirLockedError);

    await oldService.releaseLock();
    expect(count(await open(), 'events')).toBeGreaterThan(0);
  });

  it('leaves a second service off the DATA_DIR', async () => {
    await open();

    await expect(EmbeddedDatabase.open(dir)).rejects.toBeInstanceOf(DataDirLockedError);
  });
});
