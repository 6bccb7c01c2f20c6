import type { StoredEvent } from '../event-store.port';
import { deepFreeze } from '../event-index';

/** Events with at least this much JSON are kept parsed after their append. */
export const LARGE_EVENT_CHARS = 1 << 20;
/** The JSON size all kept events may add up to; the oldest go first. */
export const LARGE_EVENT_BUDGET_CHARS = 64 << 20;

/**
 * The parsed form of the newest large events, kept from the append that wrote them. A single
 * event can be megabytes (staging every period of a schedule at the limits is ~14 MB) and
 * parsing it is one step that no page size can split, so reading it back is a lookup instead.
 * Kept events are deep-frozen and shared, as the in-memory store shares all of its events.
 * Only committed events are kept (an event's position and version never change after commit).
 */
export class LargeEventCache {
  private readonly byPosition = new Map<number, { event: StoredEvent; chars: number }>();
  private readonly byStreamVersion = new Map<string, number>();
  private total = 0;

  constructor(private readonly budgetChars = LARGE_EVENT_BUDGET_CHARS) {}

  remember(event: StoredEvent, chars: number): void {
    if (chars < LARGE_EVENT_CHARS || chars > this.budgetChars) return;
    if (this.byPosition.has(event.position)) return;
    deepFreeze(event);
    this.byPosition.set(event.position, { event, chars });
    this.byStreamVersion.set(streamKey(event.streamId, event.version), event.position);
    this.total += chars;
    for (const [position, kept] of this.byPosition) {
      if (this.total <= this.budgetChars) break;
      this.byPosition.delete(position);
      this.byStreamVersion.delete(streamKey(kept.event.streamId, kept.event.version));
      this.total -= kept.chars;
    }
  }

  atPosition(position: number): StoredEvent | undefined {
    return this.byPosition.get(position)?.event;
  }

  inStream(streamId: string, version: number): StoredEvent | undefined {
    const position = this.byStreamVersion.get(streamKey(streamId, version));
    return position === undefined ? undefined : this.atPosition(position);
  }
}

const streamKey = (streamId: string, version: number) => `${streamId}\u0000${version}`;
