import type { z } from 'zod';

/** One event type as it is written today: its payload version and the payload's schema. */
export interface EventDefinition {
  schemaVersion: number;
  data: z.ZodType;
}

export type EventDefinitions = Record<string, EventDefinition>;

/**
 * An aggregate's event types, declared once: the names, the current schemaVersion of each and
 * the schema of its payload, from which the event union type is inferred.
 */
export function defineEvents<const S extends string, const D extends EventDefinitions>(
  streamType: S,
  types: D,
) {
  const names = Object.keys(types) as (keyof D & string)[];
  return {
    streamType,
    types,
    names: names as readonly (keyof D & string)[],
    /** A new event of `type` at its current schemaVersion. */
    event<T extends keyof D & string>(type: T, data: unknown) {
      return { type, schemaVersion: types[type].schemaVersion, data };
    },
  };
}

/** The union of `{type, schemaVersion, data}` over the definitions, at their current versions. */
export type EventOf<D extends EventDefinitions> = {
  [T in keyof D & string]: {
    type: T;
    schemaVersion: D[T]['schemaVersion'];
    data: z.infer<D[T]['data']>;
  };
}[keyof D & string];
