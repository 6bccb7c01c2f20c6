import type { StoredEvent } from '@app/event-store';
import { Clock } from '../../infrastructure/clock';
import { applyInTurns, occurredBy, TimeTravel } from './as-of';

const event = (version: number, occurredAt: string) =>
  ({ version, occurredAt, streamId: 's', position: version }) as StoredEvent;

describe('occurredBy', () => {
  const stream = [
    event(1, '2024-01-01T00:00:00Z'),
    event(2, '2024-01-01T00:00:00.500Z'),
    event(3, '2024-01-02T00:00:00Z'),
  ];

  it('keeps the events that occurred at or before the instant, compared as instants', () => {
    expect(occurredBy(stream, '2024-01-01T00:00:00.500Z').map((e) => e.version)).toEqual([1, 2]);
    expect(occurredBy(stream, '2024-01-01T01:00:00.500+01:00').map((e) => e.version)).toEqual([
      1, 2,
    ]);
    expect(occurredBy(stream, '2023-12-31T23:59:59Z')).toEqual([]);
    expect(occurredBy(stream, '2030-01-01T00:00:00Z')).toEqual(stream);
  });

  it('stops at the first later event, so the answer is always a real version of the stream', () => {
    const skewed = [stream[0], event(2, '2024-01-03T00:00:00Z'), event(3, '2024-01-02T00:00:00Z')];
    expect(occurredBy(skewed, '2024-01-02T12:00:00Z').map((e) => e.version)).toEqual([1]);
  });
});

describe('TimeTravel', () => {
  const now = new Date('2024-06-01T00:00:00Z');
  const travel = new TimeTravel(
    new (class extends Clock {
      now = () => now;
    })(),
  );

  it('travels for an instant before now and reads live otherwise', () => {
    expect(travel.pastInstant('2024-05-31T23:59:59Z')).toBe('2024-05-31T23:59:59Z');
    expect(travel.pastInstant('2024-06-01T00:00:00Z')).toBeUndefined();
    expect(travel.pastInstant('2999-01-01T00:00:00Z')).toBeUndefined();
    expect(travel.pastInstant(undefined)).toBeUndefined();
  });
});

describe('applyInTurns', () => {
  it('hands every event to the read model once, in order', async () => {
    const events = Array.from({ length: 123 }, (_, i) => event(i + 1, '2024-01-01T00:00:00Z'));
    const applied: number[] = [];
    await applyInTurns(
      { apply: async (batch) => void applied.push(...batch.map((e) => e.version)) },
      events,
    );
    expect(applied).toEqual(events.map((e) => e.version));
  });
});
