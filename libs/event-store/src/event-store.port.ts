/**
 * The event-store port. Adapters: in-memory (unit tests), embedded SQLite (default,
 * DATA_DIR/billing.sqlite), MongoDB (production).
 */

export interface EventMetadata {
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
}

/** An event as the application hands it to the store (ids and times are chosen by the caller). */
export interface NewEvent<D = unknown> {
  /** UUIDv7 */
  id: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  data: D;
  metadata: EventMetadata;
}

/** The SPEC §6 envelope, as stored and as published. */
export interface StoredEvent<D = unknown> extends NewEvent<D> {
  streamId: string;
  streamType: string;
  /** 1-based, no gaps within a stream. */
  version: number;
  tenantId: string;
  recordedAt: string;
  /** Global commit order, strictly increasing across all streams. Not part of the published envelope. */
  position: number;
}

export interface AppendRequest {
  streamId: string;
  streamType: string;
  tenantId: string;
  /** The stream version the caller decided against; 0 for a stream that must not exist yet. */
  expectedVersion: number;
  events: NewEvent[];
}

export interface AppendResult {
  /** The stream version after this append. */
  version: number;
  events: StoredEvent[];
}

export interface ReadAllOptions {
  /** Return events with position strictly greater than this (0 = from the beginning). */
  after?: number;
  limit?: number;
}

/** One page of a tenant's events in commit order (GET /v0/events). */
export interface FeedQuery {
  tenantId: string;
  /** Return events with position strictly greater than this (0 = from the beginning). */
  after: number;
  /** At most this many events (≥ 1). */
  limit: number;
  /** Only these event types (any of them); absent or empty = every type. */
  types?: readonly string[];
  streamType?: string;
  streamId?: string;
  /** occurredAt at or after this instant (ISO 8601). */
  from?: string;
  /** occurredAt at or before this instant (ISO 8601), the rule `?asOf` folds by. */
  to?: string;
  /** At most this many of the tenant's events are examined per page (filtered-out ones count). */
  scanLimit: number;
}

export interface FeedPage {
  events: StoredEvent[];
  /**
   * The position the next page continues after: the last event examined, or the head of the
   * log (as read when the page started) when the scan reached it, so resuming later returns
   * exactly what was appended since.
   */
  nextAfter: number;
  /** More matching events may follow right away (a further match was seen, or the scan cap stopped the page). */
  hasMore: boolean;
}

export interface EventStore {
  /** Atomic per call: all events are stored or none. Throws VersionConflictError when expectedVersion is stale. */
  append(request: AppendRequest): Promise<AppendResult>;
  /** Events of one stream in version order; `[]` for a stream that does not exist. */
  readStream(
    streamId: string,
    options?: { fromVersion?: number; toVersion?: number },
  ): Promise<StoredEvent[]>;
  /** Every event in commit order from a checkpoint. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /**
   * One tenant's events in commit order, filtered, with bounded work per call.
   * Throws FeedPositionError when `after` is past the head of the log.
   */
  readFeed(query: FeedQuery): Promise<FeedPage>;
  /** The position of the last committed event (0 when empty); the relay's lag is head − checkpoint. */
  headPosition(): Promise<number>;
  /** Resolves when the backend answers a round trip now (for /health/ready); never served from a cache. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

export class VersionConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId} is at version ${actualVersion}, expected ${expectedVersion}`);
    this.name = 'VersionConflictError';
  }
}

/** An append reuses an event id that is already stored, and is not a retry of the commit that stored it. */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly eventId: string,
    readonly streamId: string,
  ) {
    super(`event ${eventId} is already stored in stream ${streamId}`);
    this.name = 'DuplicateEventIdError';
  }
}

/** A feed position that this log never reached (a cursor from another store, or a made-up one). */
export class FeedPositionError extends Error {
  constructor(
    readonly after: number,
    readonly head: number,
  ) {
    super(`position ${after} is past the end of the event log (${head})`);
    this.name = 'FeedPositionError';
  }
}
