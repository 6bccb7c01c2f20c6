import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { describeEventStoreContract } from '../event-store.contract';
import {
  AppendRequest,
  DuplicateEventIdError,
  EventStore,
  VersionConflictError,
} from '../event-store.port';
import { groupCommitOf } from './group-commit';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite-database';
import { SqliteEventStore } from './sqlite-event-store';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sqlite-event-store-'));
}

describeEventStoreContract('SqliteEventStore', async () => {
  const dir = await tempDir();
  let db = openSqliteDatabase(dir);
  let store: EventStore = new SqliteEventStore(db);
  const close = async () => {
    await store.close();
    if (db.open) db.close();
  };
  return {
    store,
    reopen: async () => {
      await close();
      db = openSqliteDatabase(dir);
      store = new SqliteEventStore(db);
      return store;
    },
    cleanup: async () => {
      await close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteEventStore', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: SqliteEventStore;
  const others: SqliteDatabase[] = [];

  beforeEach(async () => {
    dir = await tempDir();
    db = openSqliteDatabase(dir);
    store = new SqliteEventStore(db, { clock: () => new Date('2025-02-01T00:00:00Z') });
  });

  afterEach(async () => {
    await store.close();
    for (const other of [db, ...others.splice(0)]) if (other.open) other.close();
    await rm(dir, { recursive: true, force: true });
  });

  function request(streamId: string, expectedVersion: number, count = 1): AppendRequest {
    return {
      streamId,
      streamType: 'test_stream',
      tenantId: 'tenant-1',
      expectedVersion,
      events: Array.from({ length: count }, () => ({
        id: uuidv7(),
        type: 'TestEvent',
        schemaVersion: 1,
        occurredAt: '2025-01-15T10:00:00.000Z',
        data: { amount: '10.00' },
        metadata: { correlationId: 'c', causationId: 'c' },
      })),
    };
  }

  it('stores one row per event, queryable with plain SQL', async () => {
    await store.append(request('s-1', 0, 3));
    await store.append(request('s-2', 0, 1));

    const rows = db
      .prepare(
        `SELECT position, stream_id, version, type, recorded_at, json_extract(data, '$.amount') AS amount
         FROM events ORDER BY position`,
      )
      .all();
    expect(rows).toEqual([
      {
        position: 1,
        stream_id: 's-1',
        version: 1,
        type: 'TestEvent',
        recorded_at: '2025-02-01T00:00:00.000Z',
        amount: '10.00',
      },
      {
        position: 2,
        stream_id: 's-1',
        version: 2,
        type: 'TestEvent',
        recorded_at: '2025-02-01T00:00:00.000Z',
        amount: '10.00',
      },
      {
        position: 3,
        stream_id: 's-1',
        version: 3,
        type: 'TestEvent',
        recorded_at: '2025-02-01T00:00:00.000Z',
        amount: '10.00',
      },
      {
        position: 4,
        stream_id: 's-2',
        version: 1,
        type: 'TestEvent',
        recorded_at: '2025-02-01T00:00:00.000Z',
        amount: '10.00',
      },
    ]);
  });

  it('commits the appends waiting at the same moment in one transaction, each with its own outcome', async () => {
    await store.append(request('contested', 0));
    const committer = groupCommitOf(db);
    const before = committer.commits;
    const stored = await store.append(request('taken', 0));
    const reused = stored.events[0];

    const attempts = [
      ...Array.from({ length: 40 }, (_, i) => store.append(request(`fresh-${i}`, 0, 2))),
      ...Array.from({ length: 5 }, () => store.append(request('contested', 1))),
      store.append({ ...request('dup', 0), events: [{ ...reused }] }),
      store.append(request('contested', 7)),
    ];
    const results = await Promise.allSettled(attempts);

    expect(committer.commits - before).toBe(2); // the 'taken' append, then all 47 together
    const outcome = (r: PromiseSettledResult<unknown>) =>
      r.status === 'fulfilled' ? 'ok' : (r.reason as Error).name;
    expect(results.slice(0, 40).map(outcome)).toEqual(Array(40).fill('ok'));
    expect(results.slice(40, 45).map(outcome).sort()).toEqual([
      'VersionConflictError',
      'VersionConflictError',
      'VersionConflictError',
      'VersionConflictError',
      'ok',
    ]);
    expect((results[45] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    expect((results[46] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
    expect(await store.readStream('dup')).toEqual([]);
    expect((await store.readStream('contested')).map((e) => e.version)).toEqual([1, 2]);
    const positions = (await store.readAll()).map((e) => e.position);
    expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => i + 1));
  });

  it('resolves an append only once it is committed: another connection sees it', async () => {
    const reader = openSqliteDatabase(dir, { readonly: true });
    others.push(reader);
    const count = () =>
      (reader.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const appends = Array.from({ length: 10 }, (_, i) => store.append(request(`s-${i}`, 0)));
    expect(count()).toBe(0); // queued, not yet committed

    await Promise.all(appends.map((append) => append.then(() => expect(count()).toBe(10))));
  });

  it('stores the payload as it was when append was called', async () => {
    const append = request('s-1', 0);
    const done = store.append(append);
    (append.events[0].data as { amount: string }).amount = 'changed';
    await done;

    expect((await store.readStream('s-1'))[0].data).toEqual({ amount: '10.00' });
  });

  it('refuses writes and pings once its guard throws (the DATA_DIR lock was lost)', async () => {
    let held = true;
    const guarded = new SqliteEventStore(db, {
      assertWritable: () => {
        if (!held) throw new Error('data dir lock lost');
      },
    });
    await guarded.append(request('s-1', 0));
    held = false;

    await expect(guarded.append(request('s-1', 1))).rejects.toThrow(/lock lost/);
    await expect(guarded.ping()).rejects.toThrow(/lock lost/);
    expect(await guarded.readStream('s-1')).toHaveLength(1);
  });

  it('finishes appends in flight before close resolves, then rejects use', async () => {
    const appends = Array.from({ length: 5 }, (_, i) => store.append(request(`s-${i}`, 0)));

    await store.close();

    await Promise.all(appends);
    expect((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(5);
    await expect(store.append(request('s-9', 0))).rejects.toThrow(/closed/);
    await expect(store.readAll()).rejects.toThrow(/closed/);
  });
});
