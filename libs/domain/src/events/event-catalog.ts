import type { z } from 'zod';
import { ACCOUNT_SCHEDULES_EVENTS } from '../account-schedules/account-schedules.events';
import { BILLING_SCHEDULE_EVENTS } from '../billing-schedule/billing-schedule.events';
import { UPCASTERS } from './upcasters';

/** One documented (type, schemaVersion): what a consumer of the store or the topic may meet. */
export interface EventSchema {
  type: string;
  streamType: string;
  schemaVersion: number;
  data: z.ZodType;
  /** false: an older version, upcast on read (the API and the topic carry the current one). */
  current: boolean;
}

const AGGREGATES = [BILLING_SCHEDULE_EVENTS, ACCOUNT_SCHEDULES_EVENTS];

/** Every event type the service writes (SPEC §6), in declaration order. */
export const EVENT_TYPES: readonly string[] = AGGREGATES.flatMap((aggregate) => aggregate.names);

const current: EventSchema[] = AGGREGATES.flatMap((aggregate) =>
  Object.entries(aggregate.types).map(([type, { schemaVersion, data }]) => ({
    type,
    streamType: aggregate.streamType,
    schemaVersion,
    data,
    current: true,
  })),
);

const streamTypeOf = new Map(current.map((entry) => [entry.type, entry.streamType]));

/** Every (type, schemaVersion) ever written, current and superseded, ordered by type then version. */
export const EVENT_SCHEMAS: readonly EventSchema[] = [
  ...current,
  ...UPCASTERS.map((upcaster) => ({
    type: upcaster.type,
    streamType: streamTypeOf.get(upcaster.type) ?? '',
    schemaVersion: upcaster.fromVersion,
    data: upcaster.data,
    current: false,
  })),
].sort(
  (a, b) =>
    EVENT_TYPES.indexOf(a.type) - EVENT_TYPES.indexOf(b.type) || a.schemaVersion - b.schemaVersion,
);

export const CURRENT_EVENT_SCHEMAS: readonly EventSchema[] = EVENT_SCHEMAS.filter((e) => e.current);

export function eventSchemaOf(type: string, schemaVersion: number): EventSchema | undefined {
  return EVENT_SCHEMAS.find((e) => e.type === type && e.schemaVersion === schemaVersion);
}
