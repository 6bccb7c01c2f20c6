import type { StoredEvent } from '@app/event-store';

/**
 * Publishes committed events to the outside world. Embedded mode: an in-process bus.
 * Production: Kafka, fed by the outbox relay.
 */
export interface EventPublisher {
  publish(events: readonly StoredEvent[]): Promise<void>;
}

export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');
