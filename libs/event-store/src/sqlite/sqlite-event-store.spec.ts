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
import { groupCommitOf, MAX_BATCH_CHARS } from './group-commit';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite-database';
import { READ_PAGE_CHARS, READ_PAGE_ROWS, SqliteEventStore } from './sqlite-event-store';

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

  function request(
    streamId: string,
    expectedVersion: number,
    count = 1,
    data: unknown = { amount: '10.00' },
  ): AppendRequest {
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
        data,
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

  it('bounds a group transaction by the size of its writes, not only their count', async () => {
    const large = { text: 'x'.repeat(Math.ceil(MAX_BATCH_CHARS * 0.6)) };
    const committer = groupCommitOf(db);
    const before = committer.commits;

    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => store.append(request(`large-${i}`, 0, 1, large))),
    );

    expect(committer.commits - before).toBe(4); // no two fit in one transaction
    expect(results.map((r) => r.version)).toEqual([1, 1, 1, 1]);
    expect((await store.readStream('large-3'))[0].data).toEqual(large);
  });

  it('keeps a large event parsed from its append, so reading it back parses nothing', async () => {
    const huge = { lines: Array.from({ length: 40_000 }, (_, i) => ({ i, text: 'line text' })) };
    const small = request('staging', 0, 1);
    const { version } = await store.append(small);
    const [appended] = (await store.append(request('staging', version, 1, huge))).events;

    const [, fromStream] = await store.readStream('staging');
    const [fromLog] = await store.readAll({ after: appended.position - 1, limit: 1 });
    expect(fromStream).toBe(appended); // the kept object itself, deep-frozen and shared
    expect(fromLog).toBe(appended);
    expect(Object.isFrozen((appended.data as typeof huge).lines[7])).toBe(true);
    // What SQL holds is the same event: a store with nothing kept parses it from the row.
    const fresh = new SqliteEventStore(db);
    const [, parsed] = await fresh.readStream('staging');
    expect(parsed).not.toBe(appended);
    expect(parsed).toEqual(appended);
  });

  describe('a long read', () => {
    /** A stream longer than a page, with events large enough that a few fill a page. */
    async function longStream(streamId: string): Promise<number> {
      const large = { text: 'y'.repeat(Math.ceil(READ_PAGE_CHARS / 3)) };
      let version = 0;
      for (const [count, data] of [
        [READ_PAGE_ROWS + 3, undefined],
        [5, large],
        [READ_PAGE_ROWS, undefined],
      ] as const) {
        version = (await store.append(request(streamId, version, count, data))).version;
      }
      return version;
    }

    it('comes back whole and in order, in pages with turns of the event loop between them', async () => {
      const length = await longStream('long');
      let turns = 0;
      const countTurns = (): void => {
        turns += 1;
        if (!done) setImmediate(countTurns);
      };
      let done = false;
      setImmediate(countTurns);

      const events = await store.readStream('long');
      done = true;

      expect(events.map((e) => e.version)).toEqual(Array.from({ length }, (_, i) => i + 1));
      // 500 rows; 3 rows + 2 large; 2 large; 1 large + 499 rows; 1 row: four turns between pages
      expect(turns).toBeGreaterThanOrEqual(4);
      const slice = await store.readStream('long', {
        fromVersion: READ_PAGE_ROWS - 1,
        toVersion: READ_PAGE_ROWS + 6,
      });
      expect(slice.map((e) => e.version)).toEqual(
        Array.from({ length: 8 }, (_, i) => READ_PAGE_ROWS - 1 + i),
      );
      const all = await store.readAll();
      expect(all.map((e) => e.position)).toEqual(Array.from({ length }, (_, i) => i + 1));
      const limited = await store.readAll({ after: 2, limit: READ_PAGE_ROWS + 4 });
      expect(limited.map((e) => e.position)).toEqual(
        Array.from({ length: READ_PAGE_ROWS + 4 }, (_, i) => i + 3),
      );
    });

    it('ends where the stream ended when it started, while appends continue', async () => {
      const length = await longStream('busy');

      const read = store.readStream('busy');
      const appended = store.append(request('busy', length, 3));

      expect((await read).map((e) => e.version)).toEqual(Array.from({ length }, (_, i) => i + 1));
      expect((await appended).version).toBe(length + 3);
      expect(await store.readStream('busy')).toHaveLength(length + 3);
    });
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
