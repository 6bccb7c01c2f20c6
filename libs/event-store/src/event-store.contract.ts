/// <reference types="jest" />
/**
 * The behaviour every EventStore adapter must have. Test-only (uses Jest globals); import it
 * from a spec: `import { describeEventStoreContract } from '@app/event-store/event-store.contract'`.
 * It only uses the port, so it runs unchanged against any adapter.
 */
import { v7 as uuidv7 } from 'uuid';
import {
  AppendRequest,
  DuplicateEventIdError,
  EventStore,
  FeedPositionError,
  FeedQuery,
  NewEvent,
  StoredEvent,
  VersionConflictError,
} from './event-store.port';

export interface EventStoreFixture {
  /** A store to test; its state need not be empty, but must not change under the test. */
  store: EventStore;
  /** Closes the current store and opens a new one on the same storage. */
  reopen?: () => Promise<EventStore>;
  /** Closes whatever store is open and removes its storage. */
  cleanup: () => Promise<void>;
}

export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStoreFixture>,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    /** The last position before the test ran, so readAll checks do not depend on earlier state. */
    async function lastPosition(): Promise<number> {
      return (await store.readAll()).at(-1)?.position ?? 0;
    }

    describe('append', () => {
      it('answers a ping while open', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('starts a new stream at version 1 with expectedVersion 0', async () => {
        const stream = streamId();
        const events = [newEvent('A', { n: 1 }), newEvent('B', { n: 2 }), newEvent('C', { n: 3 })];

        const result = await store.append(request(stream, 0, events));

        expect(result.version).toBe(3);
        expect(result.events.map((e) => e.version)).toEqual([1, 2, 3]);
        result.events.forEach((stored, i) => {
          expect(stored).toMatchObject({
            ...events[i],
            streamId: stream,
            streamType: 'test_stream',
            tenantId: 'tenant-1',
          });
          expect(typeof stored.recordedAt).toBe('string');
          expect(Number.isNaN(Date.parse(stored.recordedAt))).toBe(false);
        });
        expect(new Set(result.events.map((e) => e.recordedAt)).size).toBe(1);
        expect(await store.readStream(stream)).toEqual(result.events);
      });

      it('continues a stream from its current version', async () => {
        const stream = streamId();
        await store.append(request(stream, 0, [newEvent(), newEvent()]));

        const result = await store.append(request(stream, 2, [newEvent(), newEvent()]));

        expect(result.version).toBe(4);
        expect((await store.readStream(stream)).map((e) => e.version)).toEqual([1, 2, 3, 4]);
      });

      it('rejects a stale expectedVersion with the actual version', async () => {
        const stream = streamId();
        await store.append(request(stream, 0, [newEvent(), newEvent()]));
        await store.append(request(stream, 2, [newEvent()]));

        const error = await rejection(store.append(request(stream, 2, [newEvent()])));

        expect(error).toBeInstanceOf(VersionConflictError);
        expect(error).toMatchObject({ streamId: stream, expectedVersion: 2, actualVersion: 3 });
      });

      it('rejects expectedVersion 0 on an existing stream', async () => {
        const stream = streamId();
        await store.append(request(stream, 0, [newEvent()]));

        const error = await rejection(store.append(request(stream, 0, [newEvent()])));

        expect(error).toBeInstanceOf(VersionConflictError);
        expect(error).toMatchObject({ expectedVersion: 0, actualVersion: 1 });
      });

      it('rejects an expectedVersion ahead of the stream', async () => {
        const stream = streamId();
        const error = await rejection(store.append(request(stream, 3, [newEvent()])));

        expect(error).toBeInstanceOf(VersionConflictError);
        expect(error).toMatchObject({ expectedVersion: 3, actualVersion: 0 });
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('rejects an append without events', async () => {
        const error = await rejection(store.append(request(streamId(), 0, [])));

        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(VersionConflictError);
      });

      it('stores nothing of a conflicting multi-event append', async () => {
        const stream = streamId();
        await store.append(request(stream, 0, [newEvent()]));
        const before = await store.readAll();

        await expect(
          store.append(request(stream, 0, [newEvent(), newEvent(), newEvent()])),
        ).rejects.toBeInstanceOf(VersionConflictError);

        expect(await store.readStream(stream)).toHaveLength(1);
        expect(await store.readAll()).toEqual(before);
      });

      it('lets exactly one of concurrent appends with the same expectedVersion win', async () => {
        const stream = streamId();
        await store.append(request(stream, 0, [newEvent()]));
        const attempts = Array.from({ length: 10 }, () => [newEvent(), newEvent()]);

        const results = await Promise.allSettled(
          attempts.map((events) => store.append(request(stream, 1, events))),
        );

        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(9);
        lost.forEach((r) => expect(r.reason).toBeInstanceOf(VersionConflictError));
        const winner = attempts[results.findIndex((r) => r.status === 'fulfilled')];
        const stored = await store.readStream(stream);
        expect(stored.map((e) => e.version)).toEqual([1, 2, 3]);
        expect(stored.slice(1).map((e) => e.id)).toEqual(winner.map((e) => e.id));
      });

      it('accepts concurrent appends to different streams', async () => {
        const streams = Array.from({ length: 10 }, () => streamId());

        const results = await Promise.all(
          streams.map((stream) => store.append(request(stream, 0, [newEvent(), newEvent()]))),
        );

        const positions = results.flatMap((r) => r.events.map((e) => e.position));
        expect(new Set(positions).size).toBe(20);
        results.forEach((r) => expect(r.events[1].position).toBeGreaterThan(r.events[0].position));
      });

      it('gives strictly increasing global positions', async () => {
        const base = await lastPosition();
        const a = streamId();
        const b = streamId();
        const first = await store.append(request(a, 0, [newEvent(), newEvent()]));
        const second = await store.append(request(b, 0, [newEvent()]));
        const third = await store.append(request(a, 2, [newEvent()]));

        const positions = [first, second, third].flatMap((r) => r.events.map((e) => e.position));
        expect(positions[0]).toBeGreaterThan(base);
        expectStrictlyIncreasing(positions);
        expectStrictlyIncreasing((await store.readAll()).map((e) => e.position));
      });

      it('recognises a retried commit with the same ids as already stored', async () => {
        const stream = streamId();
        const events = [newEvent(), newEvent()];
        const first = await store.append(request(stream, 0, events));

        const retry = await store.append(request(stream, 0, events));

        expect(retry).toEqual(first);
        expect(await store.readStream(stream)).toEqual(first.events);
      });

      it('recognises a retry even after the stream moved on', async () => {
        const stream = streamId();
        const events = [newEvent()];
        const first = await store.append(request(stream, 0, events));
        await store.append(request(stream, 1, [newEvent()]));
        const before = await store.readAll();

        expect(await store.append(request(stream, 0, events))).toEqual(first);
        expect(await store.readAll()).toEqual(before);
      });

      it('rejects a stored event id in a commit that is not a retry', async () => {
        const a = streamId();
        const b = streamId();
        const event = newEvent();
        await store.append(request(a, 0, [event]));

        await expect(store.append(request(b, 0, [event]))).rejects.toBeInstanceOf(
          DuplicateEventIdError,
        );
        await expect(store.append(request(a, 1, [event]))).rejects.toBeInstanceOf(
          DuplicateEventIdError,
        );
        // same ids at other versions: the stale expectedVersion is reported first
        await expect(store.append(request(a, 0, [newEvent(), event]))).rejects.toBeInstanceOf(
          VersionConflictError,
        );
        expect(await store.readStream(b)).toEqual([]);
        expect(await store.readStream(a)).toHaveLength(1);
      });
    });

    describe('readStream', () => {
      it('returns [] for a stream that does not exist', async () => {
        expect(await store.readStream(streamId())).toEqual([]);
      });

      it('returns events in version order, limited by fromVersion/toVersion (inclusive)', async () => {
        const stream = streamId();
        await store.append(request(stream, 0, [newEvent(), newEvent()]));
        await store.append(request(streamId(), 0, [newEvent()]));
        await store.append(request(stream, 2, [newEvent(), newEvent(), newEvent()]));

        const versions = async (options?: { fromVersion?: number; toVersion?: number }) =>
          (await store.readStream(stream, options)).map((e) => e.version);
        expect(await versions()).toEqual([1, 2, 3, 4, 5]);
        expect(await versions({ fromVersion: 3 })).toEqual([3, 4, 5]);
        expect(await versions({ toVersion: 2 })).toEqual([1, 2]);
        expect(await versions({ fromVersion: 2, toVersion: 4 })).toEqual([2, 3, 4]);
        expect(await versions({ fromVersion: 6 })).toEqual([]);
        expect((await store.readStream(stream)).every((e) => e.streamId === stream)).toBe(true);
      });

      it('returns events that callers cannot use to change the store', async () => {
        const stream = streamId();
        await store.append(request(stream, 0, [newEvent('A', { n: 1 })]));

        const [read] = await store.readStream(stream);
        try {
          (read.data as { n: number }).n = 99;
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError); // a frozen event (embedded stores)
        }

        expect((await store.readStream(stream))[0].data).toEqual({ n: 1 });
      });
    });

    describe('readAll', () => {
      it('returns events of all streams in commit order, after a checkpoint, up to a limit', async () => {
        const base = await lastPosition();
        const a = streamId();
        const b = streamId();
        const e = Array.from({ length: 5 }, () => newEvent());
        await store.append(request(a, 0, [e[0], e[1]]));
        await store.append(request(b, 0, [e[2]]));
        await store.append(request(a, 2, [e[3], e[4]]));

        const all = await store.readAll({ after: base });
        expect(all.map((x) => x.id)).toEqual(e.map((x) => x.id));
        expect(all.map((x) => x.streamId)).toEqual([a, a, b, a, a]);
        expectStrictlyIncreasing(all.map((x) => x.position));

        const page1 = await store.readAll({ after: base, limit: 2 });
        expect(page1.map((x) => x.id)).toEqual([e[0].id, e[1].id]);
        const page2 = await store.readAll({ after: page1[1].position, limit: 2 });
        expect(page2.map((x) => x.id)).toEqual([e[2].id, e[3].id]);
        const page3 = await store.readAll({ after: page2[1].position, limit: 2 });
        expect(page3.map((x) => x.id)).toEqual([e[4].id]);
        expect(await store.readAll({ after: page3[0].position })).toEqual([]);
        expect(await store.readAll({ after: base, limit: 0 })).toEqual([]);
      });

      it('reads from the beginning by default', async () => {
        await store.append(request(streamId(), 0, [newEvent()]));

        const all = await store.readAll();

        expect(all.length).toBeGreaterThan(0);
        expect(await store.readAll({ after: 0 })).toEqual(all);
      });
    });

    describe('readFeed', () => {
      /** Appends to streams of two tenants, interleaved; returns the stored events. */
      async function interleaved(tenant: string, other: string): Promise<StoredEvent[]> {
        const mine = streamId();
        const theirs = streamId();
        const stored: StoredEvent[] = [];
        for (let i = 0; i < 4; i += 1) {
          stored.push(
            ...(await store.append(tenantRequest(other, theirs, i * 2, [newEvent(), newEvent()])))
              .events,
          );
          stored.push(
            ...(await store.append(tenantRequest(tenant, mine, i, [newEvent(`T${i % 2}`)]))).events,
          );
        }
        return stored;
      }

      async function pageAll(query: Omit<FeedQuery, 'after'>, after = 0) {
        const events: StoredEvent[] = [];
        for (let pages = 0; pages < 100; pages += 1) {
          const page = await store.readFeed({ ...query, after });
          events.push(...page.events);
          after = page.nextAfter;
          if (!page.hasMore) return { events, after };
        }
        throw new Error('the feed did not end');
      }

      it('pages one tenant’s events in commit order, never another tenant’s', async () => {
        const [tenant, other] = [uuidv7(), uuidv7()];
        const stored = await interleaved(tenant, other);
        const expected = (await store.readAll()).filter((e) => e.tenantId === tenant);
        expect(expected).toHaveLength(4);

        const first = await store.readFeed({
          tenantId: tenant,
          after: 0,
          limit: 3,
          scanLimit: 100,
        });
        expect(first.events).toEqual(expected.slice(0, 3));
        expect(first).toMatchObject({ hasMore: true, nextAfter: expected[2].position });
        const rest = await store.readFeed({
          tenantId: tenant,
          after: first.nextAfter,
          limit: 3,
          scanLimit: 100,
        });
        expect(rest.events).toEqual(expected.slice(3));
        expect(rest).toMatchObject({ hasMore: false, nextAfter: await store.headPosition() });
        expect(stored.filter((e) => e.tenantId === tenant)).toEqual(expected);
      });

      it('resumes from the end with exactly the events appended since', async () => {
        const tenant = uuidv7();
        const stream = streamId();
        await store.append(tenantRequest(tenant, stream, 0, [newEvent()]));
        const end = await pageAll({ tenantId: tenant, limit: 7, scanLimit: 100 });
        expect(end.after).toBe(await store.headPosition());
        expect(
          (await store.readFeed({ tenantId: tenant, after: end.after, limit: 7, scanLimit: 100 }))
            .events,
        ).toEqual([]);

        await store.append(request(streamId(), 0, [newEvent()]));
        const added = await store.append(
          tenantRequest(tenant, stream, 1, [newEvent(), newEvent()]),
        );

        const resumed = await pageAll({ tenantId: tenant, limit: 7, scanLimit: 100 }, end.after);
        expect(resumed.events).toEqual(added.events);
      });

      it('filters by types, stream type, stream id and occurredAt (both ends inclusive)', async () => {
        const tenant = uuidv7();
        const [a, b] = [streamId(), streamId()];
        const at = (type: string, occurredAt: string) => ({ ...newEvent(type), occurredAt });
        const one = await store.append(
          tenantRequest(tenant, a, 0, [
            at('A', '2025-01-01T00:00:00.000Z'),
            at('B', '2025-01-02T00:00:00.000Z'),
          ]),
        );
        const two = await store.append({
          ...tenantRequest(tenant, b, 0, [at('C', '2025-01-03T00:00:00.000Z')]),
          streamType: 'other_stream',
        });
        const three = await store.append(
          tenantRequest(tenant, a, 2, [at('A', '2025-01-04T00:00:00.000Z')]),
        );
        const [eA1, eB] = one.events;
        const [eC] = two.events;
        const [eA2] = three.events;
        const feed = (filters: Partial<FeedQuery>) =>
          pageAll({ tenantId: tenant, limit: 2, scanLimit: 100, ...filters }).then((r) =>
            r.events.map((e) => e.id),
          );

        expect(await feed({ types: ['A', 'C'] })).toEqual([eA1.id, eC.id, eA2.id]);
        expect(await feed({ types: ['B'] })).toEqual([eB.id]);
        expect(await feed({ streamType: 'other_stream' })).toEqual([eC.id]);
        expect(await feed({ streamId: a })).toEqual([eA1.id, eB.id, eA2.id]);
        expect(await feed({ streamId: a, types: ['A'] })).toEqual([eA1.id, eA2.id]);
        expect(await feed({ from: '2025-01-02T00:00:00Z', to: '2025-01-03T00:00:00Z' })).toEqual([
          eB.id,
          eC.id,
        ]);
        expect(await feed({ from: '2025-01-04T00:00:00Z' })).toEqual([eA2.id]);
        expect(await feed({ to: '2025-01-01T00:00:00Z' })).toEqual([eA1.id]);
        expect(await feed({ types: ['nothing'] })).toEqual([]);
      });

      it('examines at most scanLimit events per page and continues where it stopped', async () => {
        const tenant = uuidv7();
        const stream = streamId();
        const misses = Array.from({ length: 5 }, () => newEvent('Miss'));
        const stored = (
          await store.append(tenantRequest(tenant, stream, 0, [...misses, newEvent('Hit')]))
        ).events;

        const page = await store.readFeed({
          tenantId: tenant,
          after: 0,
          limit: 10,
          types: ['Hit'],
          scanLimit: 2,
        });
        expect(page).toEqual({ events: [], hasMore: true, nextAfter: stored[1].position });

        const all = await pageAll({ tenantId: tenant, limit: 10, types: ['Hit'], scanLimit: 2 });
        expect(all.events).toEqual([stored[5]]);
      });

      it('refuses a position past the head of the log', async () => {
        await store.append(request(streamId(), 0, [newEvent()]));
        const head = await store.headPosition();
        await expect(
          store.readFeed({ tenantId: uuidv7(), after: head + 1, limit: 1, scanLimit: 1 }),
        ).rejects.toBeInstanceOf(FeedPositionError);
        await expect(
          store.readFeed({ tenantId: uuidv7(), after: head, limit: 1, scanLimit: 1 }),
        ).resolves.toEqual({ events: [], nextAfter: head, hasMore: false });
      });
    });

    describe('durability', () => {
      it('keeps everything across a reopen and continues versions and positions', async () => {
        if (!fixture.reopen) return; // adapter without storage to reopen
        const a = streamId();
        const b = streamId();
        const firstEvents = [newEvent('A', { amount: '10.00' }), newEvent()];
        const first = await store.append(request(a, 0, firstEvents));
        await store.append(request(b, 0, [newEvent()]));
        await store.append(request(a, 2, [newEvent()]));
        const before = await store.readAll();

        store = await fixture.reopen();

        expect(await store.readAll()).toEqual(before);
        expect((await store.readStream(a)).map((e) => e.version)).toEqual([1, 2, 3]);
        expect(await store.append(request(a, 0, firstEvents))).toEqual(first);
        await expect(store.append(request(a, 1, [newEvent()]))).rejects.toBeInstanceOf(
          VersionConflictError,
        );

        const next = await store.append(request(a, 3, [newEvent()]));
        expect(next.version).toBe(4);
        expect(next.events[0].position).toBeGreaterThan(before[before.length - 1].position);

        store = await fixture.reopen();
        expect(await store.readAll()).toEqual([...before, ...next.events]);
      });
    });
  });
}

let counter = 0;

function streamId(): string {
  counter += 1;
  return `test_stream-${counter}-${uuidv7()}`;
}

function newEvent(type = 'TestEvent', data: unknown = { value: 'x' }): NewEvent {
  return {
    id: uuidv7(),
    type,
    schemaVersion: 1,
    occurredAt: '2025-01-15T10:00:00.000Z',
    data,
    metadata: { correlationId: uuidv7(), causationId: uuidv7() },
  };
}

function request(streamId: string, expectedVersion: number, events: NewEvent[]): AppendRequest {
  return tenantRequest('tenant-1', streamId, expectedVersion, events);
}

function tenantRequest(
  tenantId: string,
  streamId: string,
  expectedVersion: number,
  events: NewEvent[],
): AppendRequest {
  return { streamId, streamType: 'test_stream', tenantId, expectedVersion, events };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

function expectStrictlyIncreasing(values: number[]): void {
  values.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(values[i]));
}
