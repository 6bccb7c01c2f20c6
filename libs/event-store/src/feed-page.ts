import { FeedPage, FeedPositionError, FeedQuery, StoredEvent } from './event-store.port';

/**
 * Builds one feed page from the tenant's events after `query.after`, offered in commit order
 * by an adapter (which may pre-filter them; it must never skip a matching one). Every adapter
 * pages through this one class, so the cursor and `hasMore` rules exist once.
 *
 * A page stops at the first of: `limit` matches plus one more match seen (hasMore; the extra
 * one is not consumed), `scanLimit` events examined (hasMore; the cursor is the last one
 * examined), or the end of what the adapter offers (the cursor becomes the head).
 */
export class FeedPageBuilder {
  private readonly events: StoredEvent[] = [];
  private readonly types: ReadonlySet<string> | undefined;
  private readonly fromMs: number;
  private readonly toMs: number;
  private examined = 0;
  private lastExamined: number;
  private stopped: 'more-matches' | 'scan-limit' | undefined;

  constructor(
    private readonly query: FeedQuery,
    private readonly head: number,
  ) {
    assertFeedQuery(query);
    if (query.after > head) throw new FeedPositionError(query.after, head);
    this.types = query.types && query.types.length > 0 ? new Set(query.types) : undefined;
    this.fromMs = query.from === undefined ? -Infinity : Date.parse(query.from);
    this.toMs = query.to === undefined ? Infinity : Date.parse(query.to);
    this.lastExamined = query.after;
  }

  get done(): boolean {
    return this.stopped !== undefined;
  }

  /** Offers the next event in commit order; returns false once the page is complete. */
  offer(event: StoredEvent): boolean {
    if (this.done) return false;
    if (event.position <= this.lastExamined || event.position > this.head) return true;
    const matches = this.matches(event);
    if (matches && this.events.length >= this.query.limit) {
      this.stopped = 'more-matches';
      return false;
    }
    this.examined += 1;
    this.lastExamined = event.position;
    // Handed out as offered: the embedded stores' events are frozen, MongoDB's fresh from a query.
    if (matches) this.events.push(event);
    if (this.examined >= this.query.scanLimit) this.stopped = 'scan-limit';
    return !this.done;
  }

  /** The page; call once the adapter has offered everything it had or `offer` returned false. */
  page(): FeedPage {
    if (this.stopped === undefined) {
      return { events: this.events, nextAfter: this.head, hasMore: false };
    }
    return {
      events: this.events,
      nextAfter: this.lastExamined,
      hasMore: this.stopped === 'more-matches' || this.lastExamined < this.head,
    };
  }

  private matches(event: StoredEvent): boolean {
    const { tenantId, streamType, streamId } = this.query;
    if (event.tenantId !== tenantId) return false;
    if (streamType !== undefined && event.streamType !== streamType) return false;
    if (streamId !== undefined && event.streamId !== streamId) return false;
    if (this.types && !this.types.has(event.type)) return false;
    if (this.fromMs !== -Infinity || this.toMs !== Infinity) {
      const occurredAt = Date.parse(event.occurredAt);
      if (!(occurredAt >= this.fromMs && occurredAt <= this.toMs)) return false;
    }
    return true;
  }
}

function assertFeedQuery(query: FeedQuery): void {
  const positive = (value: number) => Number.isSafeInteger(value) && value >= 1;
  if (!(Number.isSafeInteger(query.after) && query.after >= 0)) {
    throw new Error(`readFeed after must be a non-negative integer, got ${query.after}`);
  }
  if (!positive(query.limit)) {
    throw new Error(`readFeed limit must be a positive integer, got ${query.limit}`);
  }
  if (!positive(query.scanLimit)) {
    throw new Error(`readFeed scanLimit must be a positive integer, got ${query.scanLimit}`);
  }
  for (const [name, value] of [
    ['from', query.from],
    ['to', query.to],
  ] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value))) {
      throw new Error(`readFeed ${name} must be an instant, got ${value}`);
    }
  }
}
