import type { StoredEvent } from '@app/event-store';
import { toEnvelope } from '../event-envelope';

export const CLOUD_EVENTS_SOURCE = 'urn:billing-schedules-service';

export interface OutgoingMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * SPEC §6: key = stream id (one partition per stream keeps its order), value = the JSON
 * envelope, CloudEvents binary-mode headers.
 */
export function toKafkaMessage(event: StoredEvent): OutgoingMessage {
  return {
    key: event.streamId,
    value: JSON.stringify(toEnvelope(event)),
    headers: {
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: event.type,
      ce_source: `${CLOUD_EVENTS_SOURCE}/${event.streamType}`,
      ce_subject: event.streamId,
      ce_time: event.occurredAt,
      'content-type': 'application/json',
    },
  };
}
