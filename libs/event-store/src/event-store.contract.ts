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
  NewEvent,
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

    describe('readTenant', () => {
      it("returns one tenant's events of one stream type in commit order, paged by position", async () => {
        const base = await lastPosition();
        const tenant = `tenant-${uuidv7()}`;
        const [a, b, c, other] = [streamId(), streamId(), streamId(), streamId()];
        const e = Array.from({ length: 5 }, () => newEvent());
        await store.append({ ...request(a, 0, [e[0], e[1]]), tenantId: tenant });
        await store.append({ ...request(other, 0, [newEvent()]), tenantId: `${tenant}-x` });
        await store.append({ ...request(b, 0, [e[2]]), tenantId: tenant, streamType: 'other' });
        await store.append({ ...request(c, 0, [e[3]]), tenantId: tenant });
        await store.append({ ...request(a, 2, [e[4]]), tenantId: tenant });

        const all = await store.readTenant(tenant, { after: base });
        expect(all.map((x) => x.id)).toEqual(e.map((x) => x.id));
        expect(all.every((x) => x.tenantId === tenant)).toBe(true);
        const typed = await store.readTenant(tenant, { streamType: 'test_stream' });
        expect(typed.map((x) => x.id)).toEqual([e[0], e[1], e[3], e[4]].map((x) => x.id));

        const page1 = await store.readTenant(tenant, { streamType: 'test_stream', limit: 3 });
        expect(page1.map((x) => x.id)).toEqual([e[0], e[1], e[3]].map((x) => x.id));
        const page2 = await store.readTenant(tenant, {
          streamType: 'test_stream',
          after: page1[2].position,
          limit: 3,
        });
        expect(page2.map((x) => x.id)).toEqual([e[4].id]);
        expect(await store.readTenant(tenant, { after: all[4].position })).toEqual([]);
        expect(await store.readTenant(`${tenant}-none`)).toEqual([]);
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
  return { streamId, streamType: 'test_stream', tenantId: 'tenant-1', expectedVersion, events };
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
