import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import type { StoredEvent } from '@app/event-store';
import { Clock } from '../../infrastructure/clock';
import { FOLD_TURN_MS } from '../../infrastructure/event-sourced-command-runner';
import { PaginationQuerySchema } from '../http/pagination';
import { instant } from '../validation/schemas';

/** `?asOf=<instant>`, accepted by every GET of both families (time travel, SPEC §8). */
export const AsOfQuerySchema = z.object({
  asOf: instant()
    .optional()
    .meta({
      description:
        'answer the state as it was then: the fold of the events that occurred at or before ' +
        'this instant (an instant in the future answers the current state)',
    }),
});

export class AsOfQuery extends createZodDto(AsOfQuerySchema) {}

/** The events of one stream that had occurred by `asOf`: the longest such prefix of it. */
export function occurredBy(stream: readonly StoredEvent[], asOf: string): StoredEvent[] {
  const cutoff = Date.parse(asOf);
  const end = stream.findIndex((event) => Date.parse(event.occurredAt) > cutoff);
  return end < 0 ? [...stream] : stream.slice(0, end);
}

/** Events handed to a read model per call while it may still yield. */
const APPLY_SLICE = 50;

/**
 * Feeds events to a (transient) read model, yielding to the event loop like every fold does,
 * so a long history never holds it.
 */
export async function applyInTurns(
  model: { apply(events: readonly StoredEvent[]): Promise<void> },
  events: readonly StoredEvent[],
): Promise<void> {
  let turnStarted = performance.now();
  for (let i = 0; i < events.length; i += APPLY_SLICE) {
    if (performance.now() - turnStarted > FOLD_TURN_MS) {
      await yieldToEventLoop();
      turnStarted = performance.now();
    }
    await model.apply(events.slice(i, i + APPLY_SLICE));
  }
}

/**
 * Decides whether a read travels in time. An absent `asOf`, or one at or after now, reads the
 * live read model (every event has occurred by then, so the fold would be the same state).
 */
@Injectable()
export class TimeTravel {
  constructor(private readonly clock: Clock) {}

  /** The instant to fold up to, or undefined for the live read model. */
  pastInstant(asOf: string | undefined): string | undefined {
    return asOf !== undefined && Date.parse(asOf) < this.clock.now().getTime() ? asOf : undefined;
  }
}

/** `/v0` list parameters of one schedule's sub-resources, plus `asOf`. */
export class PaginationAsOfQuery extends createZodDto(
  PaginationQuerySchema.extend(AsOfQuerySchema.shape),
) {}

/** A read's answer with the stream version it reflects (sent as the ETag). */
export interface AtVersion<T> {
  version: number;
  data: T;
}

/** OpenAPI for the ETag a versioned read answers with. */
export const VERSION_ETAG = {
  ETag: {
    description: 'the stream version this answer reflects, `"<version>"` (with asOf: as of then)',
    schema: { type: 'string', example: '"3"' },
  },
};
