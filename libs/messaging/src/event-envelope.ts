import type { StoredEvent } from '@app/event-store';

/** The SPEC §6 envelope as published and as served by GET …/events (no store-internal fields). */
export interface EventEnvelope {
  id: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamType: string;
  version: number;
  tenantId: string;
  occurredAt: string;
  recordedAt: string;
  data: unknown;
  metadata: StoredEvent['metadata'];
}

export function toEnvelope(event: StoredEvent): EventEnvelope {
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    streamType: event.streamType,
    version: event.version,
    tenantId: event.tenantId,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    data: event.data,
    metadata: event.metadata,
  };
}
