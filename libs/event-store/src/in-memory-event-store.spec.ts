import { describeEventStoreContract } from './event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';
import { NewEvent } from './event-store.port';

describeEventStoreContract('InMemoryEventStore', async () => {
  const store = new InMemoryEventStore();
  return { store, cleanup: () => store.close() };
});

describe('InMemoryEventStore', () => {
  it('stamps recordedAt from the injected clock', async () => {
    const store = new InMemoryEventStore(() => new Date('2025-03-01T12:00:00Z'));
    const event: NewEvent = {
      id: '0190a000-0000-7000-8000-000000000001',
      type: 'TestEvent',
      schemaVersion: 1,
      occurredAt: '2025-03-01T11:59:00.000Z',
      data: {},
      metadata: { correlationId: 'c', causationId: 'c' },
    };

    const result = await store.append({
      streamId: 's-1',
      streamType: 's',
      tenantId: 't',
      expectedVersion: 0,
      events: [event],
    });

    expect(result.events[0]).toMatchObject({ recordedAt: '2025-03-01T12:00:00.000Z', position: 1 });
  });
});
