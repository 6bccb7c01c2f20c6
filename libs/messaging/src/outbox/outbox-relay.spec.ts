import { InMemoryEventStore, InMemoryLeaseStore, type StoredEvent } from '@app/event-store';
import { InMemoryCheckpointStore } from './checkpoint-store';
import { OutboxRelay, type EventSink, type RelayLag } from './outbox-relay';

class RecordingSink implements EventSink {
  readonly sent: StoredEvent[] = [];
  failNext = 0;
  async send(events: readonly StoredEvent[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('broker down');
    }
    this.sent.push(...events);
  }
}

let counter = 0;
async function append(store: InMemoryEventStore, streamId: string, count: number) {
  const existing = await store.readStream(streamId);
  await store.append({
    streamId,
    streamType: 'test',
    tenantId: 't',
    expectedVersion: existing.length,
    events: Array.from({ length: count }, () => ({
      id: `e-${++counter}`,
      type: 'Happened',
      schemaVersion: 1,
      occurredAt: '2024-01-01T00:00:00Z',
      data: {},
      metadata: { correlationId: 'c', causationId: 'c' },
    })),
  });
}

function relayOver(
  store: InMemoryEventStore,
  sink: EventSink,
  shared = { leases: new InMemoryLeaseStore(), checkpoints: new InMemoryCheckpointStore() },
) {
  return { relay: new OutboxRelay({ store, sink, ...shared, batchSize: 3 }), ...shared };
}

describe('OutboxRelay', () => {
  it('publishes every committed event in commit order and moves the checkpoint after each batch', async () => {
    const store = new InMemoryEventStore();
    await append(store, 'a', 2);
    await append(store, 'b', 3);
    await append(store, 'a', 2);
    const sink = new RecordingSink();
    const { relay, checkpoints } = relayOver(store, sink);
    expect(await relay.drain()).toBe(7);
    expect(sink.sent.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await checkpoints.get('outbox-relay')).toBe(7);
    expect(await relay.drain()).toBe(0);
  });

  it('reports its lag: head − checkpoint and the oldest unpublished age while the sink fails, 0 once drained', async () => {
    const store = new InMemoryEventStore();
    const sink = new RecordingSink();
    const lags: RelayLag[] = [];
    const relay = new OutboxRelay({
      store,
      sink,
      leases: new InMemoryLeaseStore(),
      checkpoints: new InMemoryCheckpointStore(),
      batchSize: 3,
      onLag: (lag) => lags.push(lag),
    });
    await append(store, 'a', 2);
    expect(await relay.drain()).toBe(2);
    expect(lags.at(-1)).toEqual({ events: 0, seconds: 0 });

    await append(store, 'b', 4);
    sink.failNext = 1;
    await expect(relay.drain()).rejects.toThrow('broker down');
    expect(lags.at(-1)?.events).toBe(4);
    expect(lags.at(-1)?.seconds).toBeGreaterThanOrEqual(0);
    expect(lags.at(-1)?.seconds).toBeLessThan(60);

    expect(await relay.drain()).toBe(4);
    expect(lags.at(-1)).toEqual({ events: 0, seconds: 0 });
  });

  it('keeps the checkpoint while the sink fails and loses nothing once it is back', async () => {
    const store = new InMemoryEventStore();
    await append(store, 'a', 5);
    const sink = new RecordingSink();
    sink.failNext = 1;
    const { relay, checkpoints } = relayOver(store, sink);
    await expect(relay.drain()).rejects.toThrow('broker down');
    expect(await checkpoints.get('outbox-relay')).toBe(0);
    await append(store, 'b', 1);
    expect(await relay.drain()).toBe(6);
    expect(sink.sent.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(sink.sent.map((e) => e.id)).size).toBe(6);
  });

  it('republishes a batch whose checkpoint was not recorded (crash), with the same event ids', async () => {
    const store = new InMemoryEventStore();
    await append(store, 'a', 3);
    const sink = new RecordingSink();
    const checkpoints = new InMemoryCheckpointStore();
    const crashing = {
      leases: new InMemoryLeaseStore(),
      checkpoints: {
        get: checkpoints.get.bind(checkpoints),
        set: async () => {
          throw new Error('crash');
        },
      },
    };
    await expect(new OutboxRelay({ store, sink, ...crashing }).drain()).rejects.toThrow('crash');
    const restarted = new OutboxRelay({
      store,
      sink,
      leases: new InMemoryLeaseStore(),
      checkpoints,
    });
    await restarted.drain();
    const ids = sink.sent.map((e) => e.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(3);
  });

  it('publishes from one instance at a time: the lease holder', async () => {
    const store = new InMemoryEventStore();
    await append(store, 'a', 4);
    const sink = new RecordingSink();
    const shared = { leases: new InMemoryLeaseStore(), checkpoints: new InMemoryCheckpointStore() };
    const first = relayOver(store, sink, shared).relay;
    const second = relayOver(store, sink, shared).relay;
    expect(await first.drain()).toBe(4);
    await append(store, 'a', 1);
    expect(await second.drain()).toBe(0);
    await first.stop();
    expect(await second.drain()).toBe(1);
    expect(sink.sent).toHaveLength(5);
  });

  it('runs by itself once started: a nudge publishes new events promptly', async () => {
    const store = new InMemoryEventStore();
    const sink = new RecordingSink();
    const { relay } = relayOver(store, sink);
    relay.start();
    try {
      await append(store, 'a', 2);
      relay.nudge();
      for (let i = 0; i < 50 && sink.sent.length < 2; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(sink.sent).toHaveLength(2);
    } finally {
      await relay.stop();
    }
  });
});
