import type { z } from 'zod';
import {
  BillingPeriodUpdatedV1,
  type BillingPeriodUpdatedV2,
} from '../billing-schedule/billing-schedule.events';

/**
 * The upcaster registry: the one place that knows how a stored payload of an older
 * schemaVersion becomes the next one. Every read of the store goes through `upcastEvent`
 * (an EventStore decorator in the app), so folds, the API, the feed and the relay only ever
 * see current shapes, and the domain keeps a single evolve per event type.
 */
export interface Upcaster {
  type: string;
  /** The version this upcaster reads; it produces `fromVersion + 1`. */
  fromVersion: number;
  /** The payload schema of `fromVersion`, still documented (AsyncAPI) for old archives. */
  data: z.ZodType;
  upcast: (data: never) => unknown;
}

const upcaster = <S extends z.ZodType>(definition: {
  type: string;
  fromVersion: number;
  data: S;
  upcast: (data: z.infer<S>) => unknown;
}): Upcaster => definition;

export const UPCASTERS: readonly Upcaster[] = [
  upcaster({
    type: 'BillingPeriodUpdated',
    fromVersion: 1,
    data: BillingPeriodUpdatedV1,
    // v1's two fields were null together after the last period; v2 says it once.
    upcast: ({ currentPeriodStart, currentPeriodEnd, ...rest }): BillingPeriodUpdatedV2 => ({
      ...rest,
      currentPeriod:
        currentPeriodStart !== null && currentPeriodEnd !== null
          ? { startDate: currentPeriodStart, endDate: currentPeriodEnd }
          : null,
    }),
  }),
];

const byTypeAndVersion = new Map(UPCASTERS.map((u) => [`${u.type}@${u.fromVersion}`, u]));

/** The event with its payload brought to the current schemaVersion; unknown types pass as they are. */
export function upcastEvent<E extends { type: string; schemaVersion: number; data: unknown }>(
  event: E,
): E {
  let current = event;
  for (
    let next = byTypeAndVersion.get(`${current.type}@${current.schemaVersion}`);
    next;
    next = byTypeAndVersion.get(`${current.type}@${current.schemaVersion}`)
  ) {
    current = {
      ...current,
      schemaVersion: next.fromVersion + 1,
      data: next.upcast(current.data as never),
    };
  }
  return current;
}
