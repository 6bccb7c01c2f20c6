import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { FeedPositionError, type EventStore, type StoredEvent } from '@app/event-store';
import { decodeFeedCursor, encodeFeedCursor } from '../../api/src/events/feed-cursor';
import { FEED_SCAN_LIMIT } from '../../api/src/events/list-events/list-events.handler';
import { CliError, badArgument } from './cli-error';
import type { Interruption } from './interruption';
import type { Progress } from './progress';

/** The feed's filters (GET /v0/events); no tenant = every tenant's events. */
export interface HistoryFilter {
  tenantId?: string;
  types?: readonly string[];
  streamId?: string;
  from?: string;
  to?: string;
}

export interface HistoryRun {
  store: EventStore;
  filter: HistoryFilter;
  /** Store position to continue after (0 = from the beginning). */
  after: number;
  batchSize: number;
  /** Events per second at most; undefined = as fast as the store answers. */
  rate?: number;
  interruption: Interruption;
  progress: Progress;
  /** Handles one chunk of matching events, in commit order. */
  handle: (events: StoredEvent[]) => Promise<void>;
}

export interface HistoryOutcome {
  handled: number;
  /** The position to resume after: every matching event up to it was handled. */
  cursor: number;
  interrupted: boolean;
}

/**
 * Walks the filtered history in commit order, page by page, through the store's feed (one
 * tenant) or its log (every tenant), so the tool hands out exactly what the feed serves.
 * Ctrl-C stops after the chunk in hand; the cursor then resumes with the next event.
 */
export async function walkHistory(run: HistoryRun): Promise<HistoryOutcome> {
  const chunkSize = run.rate
    ? Math.max(1, Math.min(run.batchSize, Math.floor(run.rate / 10)))
    : run.batchSize;
  const startedAt = Date.now();
  let handled = 0;
  let cursor = run.after;
  for (;;) {
    const page = await readPage(run.store, run.filter, cursor, run.batchSize);
    for (let i = 0; i < page.events.length; i += chunkSize) {
      const chunk = page.events.slice(i, i + chunkSize);
      await run.handle(chunk);
      handled += chunk.length;
      cursor = chunk[chunk.length - 1].position;
      run.progress.update(cursor, handled);
      if (run.rate) await throttle(startedAt, handled, run.rate);
      if (run.interruption.stopRequested) return { handled, cursor, interrupted: true };
    }
    cursor = Math.max(cursor, page.nextAfter);
    run.progress.update(cursor, handled);
    if (!page.hasMore) return { handled, cursor, interrupted: false };
    // Lets a Ctrl-C be delivered between pages even when the store answers synchronously.
    await yieldToEventLoop();
    if (run.interruption.stopRequested) return { handled, cursor, interrupted: true };
  }
}

interface HistoryPage {
  events: StoredEvent[];
  nextAfter: number;
  hasMore: boolean;
}

async function readPage(
  store: EventStore,
  filter: HistoryFilter,
  after: number,
  limit: number,
): Promise<HistoryPage> {
  const { tenantId, ...rest } = filter;
  if (tenantId !== undefined) {
    try {
      return await store.readFeed({ tenantId, after, limit, scanLimit: FEED_SCAN_LIMIT, ...rest });
    } catch (error) {
      if (error instanceof FeedPositionError) throw pastTheEnd();
      throw error;
    }
  }
  if (after > (await store.headPosition())) throw pastTheEnd();
  const events = await store.readAll({ after, limit });
  return {
    events: events.filter(matches(filter)),
    nextAfter: events.length > 0 ? events[events.length - 1].position : after,
    hasMore: events.length === limit,
  };
}

/** The feed's filters for the log of every tenant (FeedPageBuilder applies them per tenant). */
function matches(filter: HistoryFilter): (event: StoredEvent) => boolean {
  const types = filter.types && filter.types.length > 0 ? new Set(filter.types) : undefined;
  const fromMs = filter.from === undefined ? -Infinity : Date.parse(filter.from);
  const toMs = filter.to === undefined ? Infinity : Date.parse(filter.to);
  return (event) => {
    if (types && !types.has(event.type)) return false;
    if (filter.streamId !== undefined && event.streamId !== filter.streamId) return false;
    if (fromMs === -Infinity && toMs === Infinity) return true;
    const occurredAt = Date.parse(event.occurredAt);
    return occurredAt >= fromMs && occurredAt <= toMs;
  };
}

const pastTheEnd = () => badArgument('--after is past the end of the event log');

/** Sleeps until `handled` events since `startedAt` are within `rate` per second. */
async function throttle(startedAt: number, handled: number, rate: number): Promise<void> {
  const due = startedAt + (handled / rate) * 1000;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/**
 * A tenant the store holds no event of is unknown (the tool has no other list of tenants:
 * API keys are the API's business). Reads at most until the tenant's first event.
 */
export async function assertKnownTenant(store: EventStore, tenantId: string): Promise<void> {
  let after = 0;
  for (;;) {
    const page = await store.readFeed({ tenantId, after, limit: 1, scanLimit: FEED_SCAN_LIMIT });
    if (page.events.length > 0) return;
    if (!page.hasMore)
      throw new CliError(`unknown tenant "${tenantId}": the store holds no event of it`);
    after = page.nextAfter;
  }
}

/** The feed's own cursor, so a cursor from GET /v0/events resumes the tool and vice versa. */
export function parseCursor(cursor: string): number {
  try {
    return decodeFeedCursor(cursor);
  } catch {
    throw badArgument(`--after "${cursor}" is not a cursor issued by the feed or this tool`);
  }
}

export const formatCursor = encodeFeedCursor;
