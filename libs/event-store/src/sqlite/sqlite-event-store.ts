import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { validateAppendRequest } from '../event-index';
import {
  AppendRequest,
  AppendResult,
  DuplicateEventIdError,
  EventStore,
  FeedPage,
  FeedQuery,
  ReadAllOptions,
  StoredEvent,
  VersionConflictError,
} from '../event-store.port';
import { FeedPageBuilder } from '../feed-page';
import { ensureEventTables } from './event-tables';
import { GroupCommit, groupCommitOf } from './group-commit';
import { LARGE_EVENT_CHARS, LargeEventCache } from './large-event-cache';
import type { SqliteDatabase } from './sqlite-database';

export interface SqliteEventStoreOptions {
  /** Stamps recordedAt. */
  clock?: () => Date;
  /** Runs before every write and ping; throws to refuse them (the API passes its DATA_DIR lock's check). */
  assertWritable?: () => void;
}

/** A row of the `events` table. */
export interface EventRow {
  position: number;
  stream_id: string;
  stream_type: string;
  version: number;
  tenant_id: string;
  id: string;
  type: string;
  schema_version: number;
  occurred_at: string;
  recorded_at: string;
  data: string;
  metadata: string;
}

/** An append as queued: its payloads serialised when `append` was called, so later changes by the caller do not leak in. */
interface QueuedAppend {
  streamId: string;
  streamType: string;
  tenantId: string;
  expectedVersion: number;
  events: {
    id: string;
    type: string;
    schemaVersion: number;
    occurredAt: string;
    data: string;
    metadata: string;
  }[];
}

/**
 * A read fetches and parses at most this many rows, and this many characters of JSON (but at
 * least one row), per turn of the event loop, so a long stream of large events (a schedule at
 * the limits holds ~30 MB) is many short steps, not one that holds the loop for hundreds of ms.
 */
export const READ_PAGE_ROWS = 500;
export const READ_PAGE_CHARS = 1 << 20;

/** A row's key (version in a stream, position in the log) and its JSON's size, read without loading the JSON. */
interface RowSize {
  key: number;
  chars: number;
}

/**
 * The embedded event store: one row per event in the `events` table of the shared SQLite
 * database (see sqlite-database.ts). Appends are group-committed (group-commit.ts); reads are
 * SQL queries, so memory does not grow with history. Does not own the connection: whoever
 * opened the database closes it, after `close()` here has waited for the appends in flight.
 */
export class SqliteEventStore implements EventStore {
  private readonly commits: GroupCommit;
  private readonly clock: () => Date;
  private readonly assertWritable: () => void;
  private closed = false;
  private readonly sql;
  private readonly largeEvents = new LargeEventCache();

  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteEventStoreOptions = {},
  ) {
    ensureEventTables(db);
    this.commits = groupCommitOf(db);
    this.clock = options.clock ?? (() => new Date());
    this.assertWritable = options.assertWritable ?? (() => undefined);
    this.sql = {
      byId: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
      streamVersion: db.prepare<[string], { version: number | null }>(
        'SELECT max(version) AS version FROM events WHERE stream_id = ?',
      ),
      insert: db.prepare<
        [string, string, number, string, string, string, number, string, string, string, string]
      >(
        `INSERT INTO events (stream_id, stream_type, version, tenant_id, id, type, schema_version,
           occurred_at, recorded_at, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // octet_length reads a value's size from the record header, never its (overflow) pages.
      streamSizes: db.prepare<[string, number, number, number], RowSize>(
        `SELECT version AS key, octet_length(data) + octet_length(metadata) AS chars FROM events
         WHERE stream_id = ? AND version > ? AND version <= ? ORDER BY version LIMIT ?`,
      ),
      stream: db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream_id = ? AND version > ? AND version <= ? ORDER BY version',
      ),
      allSizes: db.prepare<[number, number, number], RowSize>(
        `SELECT position AS key, octet_length(data) + octet_length(metadata) AS chars FROM events
         WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
      ),
      all: db.prepare<[number, number], EventRow>(
        'SELECT * FROM events WHERE position > ? AND position <= ? ORDER BY position',
      ),
      head: db.prepare<[], { head: number | null }>('SELECT max(position) AS head FROM events'),
      tenantFeed: db.prepare<[string, number, number, number], EventRow>(
        `SELECT * FROM events WHERE tenant_id = ? AND position > ? AND position <= ?
         ORDER BY position LIMIT ?`,
      ),
      streamFeed: db.prepare<[string, number, number, number], EventRow>(
        `SELECT * FROM events WHERE stream_id = ? AND position > ? AND position <= ?
         ORDER BY position LIMIT ?`,
      ),
      ping: db.prepare('SELECT 1'),
    };
  }

  append(request: AppendRequest): Promise<AppendResult> {
    if (this.closed) return Promise.reject(closedError());
    let queued: QueuedAppend;
    try {
      validateAppendRequest(request);
      queued = {
        streamId: request.streamId,
        streamType: request.streamType,
        tenantId: request.tenantId,
        expectedVersion: request.expectedVersion,
        events: request.events.map((event) => ({
          id: event.id,
          type: event.type,
          schemaVersion: event.schemaVersion,
          occurredAt: event.occurredAt,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata),
        })),
      };
    } catch (err) {
      return Promise.reject(err);
    }
    const sizes = queued.events.map((e) => e.data.length + e.metadata.length);
    const chars = sizes.reduce((sum, size) => sum + size, 0);
    return this.commits
      .run(() => this.write(queued), chars)
      .then((result) => {
        // Committed: a large event's parsed form is kept for the reads that soon follow.
        if (chars >= LARGE_EVENT_CHARS && result.events.length === sizes.length) {
          result.events.forEach((event, i) => this.largeEvents.remember(event, sizes[i]));
        }
        return result;
      });
  }

  async readStream(
    streamId: string,
    options: { fromVersion?: number; toVersion?: number } = {},
  ): Promise<StoredEvent[]> {
    this.assertOpen();
    const from = Math.max(options.fromVersion ?? 1, 1);
    const current = this.sql.streamVersion.get(streamId)?.version ?? 0;
    const to = Math.min(options.toVersion ?? current, current);
    return this.readPaged(
      from - 1,
      to,
      Number.POSITIVE_INFINITY,
      (after, end, rows) => this.sql.streamSizes.all(streamId, after, end, rows),
      (after, last) => this.sql.stream.all(streamId, after, last),
      (version) => this.largeEvents.inStream(streamId, version),
    );
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const { limit } = options;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
      throw new Error(`read limit must be a non-negative integer, got ${limit}`);
    }
    const after = Math.max(options.after ?? 0, 0);
    return this.readPaged(
      after,
      this.head(),
      limit ?? Number.POSITIVE_INFINITY,
      (from, end, rows) => this.sql.allSizes.all(from, end, rows),
      (from, last) => this.sql.all.all(from, last),
      (position) => this.largeEvents.atPosition(position),
    );
  }

  /** Walks the tenant's (or the stream's) index from `after`, at most one page's scan, through the shared page rules. */
  async readFeed(query: FeedQuery): Promise<FeedPage> {
    this.assertOpen();
    const head = this.head();
    const builder = new FeedPageBuilder(query, head);
    const rows =
      query.streamId === undefined
        ? this.sql.tenantFeed.iterate(query.tenantId, query.after, head, query.scanLimit + 1)
        : this.sql.streamFeed.iterate(query.streamId, query.after, head, query.scanLimit + 1);
    for (const row of rows) {
      if (!builder.offer(toStoredEvent(row))) break;
    }
    return builder.page();
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.head();
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.assertWritable();
    this.sql.ping.get();
  }

  /** Waits for the appends in flight; the connection stays open for its owner to close. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commits.drain();
  }

  /**
   * The rows with keys in (after, end], at most `limit` of them, page by page (READ_PAGE_ROWS,
   * READ_PAGE_CHARS), yielding to the event loop between pages. `end` is fixed when the read
   * starts, so a read never chases appends; keys are never reused, so the pages join up gap-free.
   */
  private async readPaged(
    after: number,
    end: number,
    limit: number,
    sizes: (after: number, end: number, rows: number) => RowSize[],
    rows: (after: number, last: number) => EventRow[],
    kept: (key: number) => StoredEvent | undefined,
  ): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    let from = after;
    while (events.length < limit && from < end) {
      if (events.length > 0) {
        await yieldToEventLoop();
        this.assertOpen();
      }
      const page = sizes(from, end, Math.min(READ_PAGE_ROWS, limit - events.length));
      if (page.length === 0) break;
      const large = page[0].chars >= LARGE_EVENT_CHARS ? kept(page[0].key) : undefined;
      if (large) {
        events.push(large);
        from = page[0].key;
        continue;
      }
      let taken = 1;
      let chars = page[0].chars;
      while (taken < page.length && chars + page[taken].chars <= READ_PAGE_CHARS) {
        chars += page[taken].chars;
        taken += 1;
      }
      const last = page[taken - 1].key;
      for (const row of rows(from, last)) events.push(toStoredEvent(row));
      from = last;
    }
    return events;
  }

  /** Runs inside a group transaction, in its own savepoint: throwing undoes this append only. */
  private write(append: QueuedAppend): AppendResult {
    this.assertWritable();
    const retried = this.findRetry(append);
    if (retried) return { version: retried[retried.length - 1].version, events: retried };
    const { streamId, streamType, tenantId, expectedVersion } = append;
    const current = this.sql.streamVersion.get(streamId)?.version ?? 0;
    if (expectedVersion !== current) {
      throw new VersionConflictError(streamId, expectedVersion, current);
    }
    for (const event of append.events) {
      const existing = this.sql.byId.get(event.id);
      if (existing) throw new DuplicateEventIdError(event.id, existing.stream_id);
    }
    const recordedAt = this.clock().toISOString();
    const events = append.events.map((event, i): StoredEvent => {
      const version = current + i + 1;
      const { lastInsertRowid } = this.sql.insert.run(
        streamId,
        streamType,
        version,
        tenantId,
        event.id,
        event.type,
        event.schemaVersion,
        event.occurredAt,
        recordedAt,
        event.data,
        event.metadata,
      );
      return {
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        streamId,
        streamType,
        version,
        tenantId,
        occurredAt: event.occurredAt,
        recordedAt,
        data: JSON.parse(event.data) as unknown,
        metadata: JSON.parse(event.metadata) as StoredEvent['metadata'],
        position: Number(lastInsertRowid),
      };
    });
    return { version: current + events.length, events };
  }

  /** A retried commit with the same ids is already stored: every id sits in this stream at the version the request implies. */
  private findRetry(append: QueuedAppend): StoredEvent[] | undefined {
    const stored: StoredEvent[] = [];
    for (const [i, event] of append.events.entries()) {
      const row = this.sql.byId.get(event.id);
      if (
        !row ||
        row.stream_id !== append.streamId ||
        row.version !== append.expectedVersion + i + 1
      ) {
        return undefined;
      }
      stored.push(toStoredEvent(row));
    }
    return stored;
  }

  private head(): number {
    return this.sql.head.get()?.head ?? 0;
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
  }
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamType: row.stream_type,
    version: row.version,
    tenantId: row.tenant_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as StoredEvent['metadata'],
    position: row.position,
  };
}

function closedError(): Error {
  return new Error('SqliteEventStore is closed');
}
