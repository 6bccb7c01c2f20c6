import { Db, MongoClient } from 'mongodb';
import { v7 as uuidv7 } from 'uuid';
import {
  AppendRequest,
  EventStore,
  NewEvent,
  StoredEvent,
  VersionConflictError,
} from '@app/event-store';
import { describeEventStoreContract } from '@app/event-store/event-store.contract';
import {
  CommitDocument,
  EVENT_COMMITS_COLLECTION,
  MongoEventStore,
} from '@app/event-store/mongo/mongo-event-store';
import { MONGODB_URI, dropDatabase, uniqueName } from './support/infra';

/** Two clients stand for two processes sharing the database. */
let clientA: MongoClient;
let clientB: MongoClient;

beforeAll(async () => {
  [clientA, clientB] = await Promise.all([
    MongoClient.connect(MONGODB_URI),
    MongoClient.connect(MONGODB_URI),
  ]);
});

afterAll(async () => {
  await Promise.all([clientA?.close(), clientB?.close()]);
});

describeEventStoreContract('MongoEventStore on FerretDB', async () => {
  const name = uniqueName('mongo_event_store_contract');
  const db = clientA.db(name);
  let store: EventStore = await MongoEventStore.open(db);
  return {
    store,
    reopen: async () => {
      await store.close();
      store = await MongoEventStore.open(db);
      return store;
    },
    cleanup: async () => {
      await store.close();
      await dropDatabase(name);
    },
  };
});

describe('MongoEventStore on FerretDB', () => {
  let name: string;
  let dbA: Db;
  let dbB: Db;
  let storeA: MongoEventStore;
  let storeB: MongoEventStore;

  beforeEach(async () => {
    name = uniqueName('mongo_event_store');
    dbA = clientA.db(name);
    dbB = clientB.db(name);
    storeA = await MongoEventStore.open(dbA);
    storeB = await MongoEventStore.open(dbB);
  });

  afterEach(async () => {
    await Promise.all([storeA.close(), storeB.close()]);
    await dropDatabase(name);
  });

  const commits = (db: Db) => db.collection<CommitDocument>(EVENT_COMMITS_COLLECTION);

  it('stores an append as one document', async () => {
    const stream = streamId();
    const events = [newEvent(), newEvent(), newEvent()];

    const result = await storeA.append(request(stream, 0, events));

    expect(await commits(dbA).countDocuments({})).toBe(1);
    const doc = await commits(dbA).findOne({});
    expect(doc).toMatchObject({
      _id: events[0].id,
      streamId: stream,
      streamType: 'test_stream',
      tenantId: 'tenant-1',
      firstVersion: 1,
      lastVersion: 3,
      firstPosition: result.events[0].position,
      lastPosition: result.events[2].position,
      recordedAt: result.events[0].recordedAt,
      recordedAtMs: Date.parse(result.events[0].recordedAt),
    });
    expect(doc?.events).toEqual(result.events);
  });

  it('lets exactly one of two instances win a race on one stream', async () => {
    const stream = streamId();
    await storeA.append(request(stream, 0, [newEvent()]));

    for (let version = 1; version <= 10; version += 1) {
      const results = await Promise.allSettled([
        storeA.append(request(stream, version, [newEvent()])),
        storeB.append(request(stream, version, [newEvent()])),
      ]);

      const lost = results.filter((r) => r.status === 'rejected');
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(VersionConflictError);
      expect(lost[0].reason).toMatchObject({
        expectedVersion: version,
        actualVersion: version + 1,
      });
    }
    const stored = await storeB.readStream(stream);
    expect(stored.map((e) => e.version)).toEqual(range(1, 11));
  });

  it('serialises 50 concurrent writers on one stream that retry on conflict', async () => {
    const stream = streamId();
    const conflicts = { count: 0 };

    const appended = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        appendWithRetry(i % 2 === 0 ? storeA : storeB, stream, newEvent(), conflicts),
      ),
    );

    const stored = await storeA.readStream(stream);
    expect(stored.map((e) => e.version)).toEqual(range(1, 50));
    expect(new Set(stored.map((e) => e.id))).toEqual(new Set(appended.map((e) => e.id)));
    expectContiguous(
      (await storeB.readAll()).map((e) => e.position),
      1,
    );
    expect(await commits(dbA).countDocuments({})).toBe(50);
    expect(conflicts.count).toBeGreaterThan(0);
  });

  it('uses no position for a failed append: positions stay contiguous, readAll never waits', async () => {
    const contested = streamId();
    await storeA.append(request(contested, 0, [newEvent()]));
    const others = Array.from({ length: 10 }, () => streamId());

    const results = await Promise.allSettled([
      ...Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? storeA : storeB).append(request(contested, 1, [newEvent(), newEvent()])),
      ),
      ...others.map((stream, i) =>
        (i % 2 ? storeB : storeA).append(request(stream, 0, [newEvent()])),
      ),
    ]);

    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(9);
    failed.forEach((r) => expect(r.reason).toBeInstanceOf(VersionConflictError));
    const all = await storeB.readAll();
    expect(all).toHaveLength(1 + 2 + 10);
    expectContiguous(
      all.map((e) => e.position),
      1,
    );
    expect(await commits(dbA).countDocuments({})).toBe(1 + 1 + 10);
  });

  it('pages through the log in small pages while another instance appends', async () => {
    const streams = [streamId(), streamId(), streamId()];
    const versions = new Map<string, number>();
    let appended = 0;
    const appendSome = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        const stream = streams[i % streams.length];
        const events = i % 2 ? [newEvent(), newEvent(), newEvent()] : [newEvent()];
        const result = await storeA.append(request(stream, versions.get(stream) ?? 0, events));
        versions.set(stream, result.version);
        appended += events.length;
      }
    };
    await appendSome(12);

    const read: StoredEvent[] = [];
    let after = 0;
    for (let round = 0; round < 30; round += 1) {
      const page = await storeB.readAll({ after, limit: 4 });
      read.push(...page);
      after = page.at(-1)?.position ?? after;
      if (round === 2) await appendSome(7);
    }

    const all = await storeA.readAll();
    expect(all).toHaveLength(appended);
    expect(read).toEqual(all);
  });

  it('reads more commits at once than it keeps for later pages', async () => {
    const count = 1_100;
    await insertOneEventCommits(dbA, count);

    expectContiguous(
      (await storeA.readAll()).map((e) => e.position),
      1,
    );
    expect(await storeA.readAll()).toHaveLength(count);
    expectContiguous(
      (await storeB.readAll({ after: 5, limit: 2_000 })).map((e) => e.position),
      6,
    );
    expect((await storeB.readAll({ after: 5, limit: 2_000 }))[0].position).toBe(6);
    expect(await storeB.readAll({ after: 1_090, limit: 20 })).toHaveLength(10);
  });

  it('pages through the log on one query, and sees commits appended after it ended', async () => {
    const count = 1_100;
    await insertOneEventCommits(dbA, count);
    const monitored = await MongoClient.connect(MONGODB_URI, { monitorCommands: true });
    let finds = 0;
    monitored.on('commandStarted', (event) => {
      if (event.commandName === 'find' && event.command.find === EVENT_COMMITS_COLLECTION) {
        finds += 1;
      }
    });
    try {
      const reader = await MongoEventStore.open(monitored.db(name));
      finds = 0;
      const read: StoredEvent[] = [];
      const readToEnd = async () => {
        for (;;) {
          const page = await reader.readAll({ after: read.at(-1)?.position ?? 0, limit: 100 });
          if (page.length === 0) return;
          read.push(...page);
        }
      };
      await readToEnd();
      // One query for the 1,100 commits (continued with getMore) and one that finds the end.
      expect(finds).toBe(2);
      expect(read).toEqual(await storeA.readAll());

      const later = await storeA.append(request(streamId(), 0, [newEvent(), newEvent()]));
      await readToEnd();
      expect(read.slice(count)).toEqual(later.events);
      await reader.close();
    } finally {
      await monitored.close();
    }
  });

  it('recognises a retry made through another instance', async () => {
    const stream = streamId();
    const events = [newEvent(), newEvent()];
    const first = await storeA.append(request(stream, 0, events));

    expect(await storeB.append(request(stream, 0, events))).toEqual(first);
    expect(await commits(dbA).countDocuments({})).toBe(1);
  });

  it('stops readAll before a hole in the positions until gapTimeoutMs has passed', async () => {
    const store = await MongoEventStore.open(dbA, { gapTimeoutMs: 300 });
    const first = await store.append(request(streamId(), 0, [newEvent()]));
    // This adapter never leaves a hole; a writer that bypasses it (or a commit deleted by
    // hand) can. Position 2 is missing and a commit sits at 3.
    const foreign = rawCommit(streamId(), 3, [newEvent()]);
    await commits(dbA).insertOne(foreign);

    expect(await store.readAll()).toEqual(first.events);
    expect(await store.readAll({ after: 1 })).toEqual([]);

    await sleep(350);

    expect(await store.readAll()).toEqual([...first.events, ...foreign.events]);
    expect(await store.readAll({ after: 1 })).toEqual(foreign.events);
    const next = await store.append(request(streamId(), 0, [newEvent()]));
    expect(next.events[0].position).toBe(4);
    expect((await store.readAll({ after: 3 })).map((e) => e.id)).toEqual([next.events[0].id]);
  });

  it('reads past a tombstone commit at once', async () => {
    const first = await storeA.append(request(streamId(), 0, [newEvent()]));
    await commits(dbA).insertOne(rawCommit('$gap:2', 2, [], '$gap:2'));

    const next = await storeA.append(request(streamId(), 0, [newEvent(), newEvent()]));

    expect(next.events.map((e) => e.position)).toEqual([3, 4]);
    expect(await storeB.readAll()).toEqual([...first.events, ...next.events]);
    expect(await storeB.readAll({ after: 1, limit: 1 })).toEqual([next.events[0]]);
  });

  it('opens two instances on a fresh database at the same time', async () => {
    const fresh = uniqueName('mongo_event_store_open');
    try {
      const [a, b] = await Promise.all([
        MongoEventStore.open(clientA.db(fresh)),
        MongoEventStore.open(clientB.db(fresh)),
      ]);
      const stream = streamId();
      await a.append(request(stream, 0, [newEvent()]));
      await expect(b.append(request(stream, 0, [newEvent()]))).rejects.toBeInstanceOf(
        VersionConflictError,
      );
    } finally {
      await dropDatabase(fresh);
    }
  });
});

/** Load the stream, decide, append; on a conflict load again and retry (a command handler's loop). */
async function appendWithRetry(
  store: EventStore,
  stream: string,
  event: NewEvent,
  conflicts: { count: number },
): Promise<StoredEvent> {
  for (;;) {
    const version = (await store.readStream(stream)).length;
    try {
      return (await store.append(request(stream, version, [event]))).events[0];
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
      conflicts.count += 1;
      await sleep(Math.random() * 5);
    }
  }
}

/** Commits of one event each at positions 1..count, inserted directly. */
async function insertOneEventCommits(db: Db, count: number): Promise<void> {
  const collection = db.collection<CommitDocument>(EVENT_COMMITS_COLLECTION);
  const docs = Array.from({ length: count }, (_, i) => rawCommit(streamId(), i + 1, [newEvent()]));
  for (let i = 0; i < count; i += 250) await collection.insertMany(docs.slice(i, i + 250));
}

function rawCommit(
  stream: string,
  firstPosition: number,
  newEvents: NewEvent[],
  id: string = newEvents[0].id,
): CommitDocument {
  const recordedAt = new Date();
  const events = newEvents.map((event, i): StoredEvent => ({
    ...event,
    streamId: stream,
    streamType: 'test_stream',
    version: i + 1,
    tenantId: 'tenant-1',
    recordedAt: recordedAt.toISOString(),
    position: firstPosition + i,
  }));
  return {
    _id: id,
    streamId: stream,
    streamType: 'test_stream',
    tenantId: 'tenant-1',
    firstVersion: events.length ? 1 : 0,
    lastVersion: events.length,
    firstPosition,
    lastPosition: firstPosition + Math.max(events.length, 1) - 1,
    recordedAt: recordedAt.toISOString(),
    recordedAtMs: recordedAt.getTime(),
    events,
  };
}

let counter = 0;

function streamId(): string {
  counter += 1;
  return `test_stream-${counter}-${uuidv7()}`;
}

function newEvent(): NewEvent {
  return {
    id: uuidv7(),
    type: 'TestEvent',
    schemaVersion: 1,
    occurredAt: '2025-01-15T10:00:00.000Z',
    data: { amount: '10.00', lines: [{ n: 1 }] },
    metadata: { correlationId: uuidv7(), causationId: uuidv7() },
  };
}

function request(stream: string, expectedVersion: number, events: NewEvent[]): AppendRequest {
  return {
    streamId: stream,
    streamType: 'test_stream',
    tenantId: 'tenant-1',
    expectedVersion,
    events,
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function expectContiguous(positions: number[], from: number): void {
  expect(positions).toEqual(range(from, from + positions.length - 1));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
