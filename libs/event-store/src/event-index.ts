import { v7 as uuidv7 } from 'uuid';
import { FeedPageBuilder } from './feed-page';
import {
  AppendRequest,
  AppendResult,
  DuplicateEventIdError,
  FeedPage,
  FeedQuery,
  ReadAllOptions,
  StoredEvent,
  VersionConflictError,
} from './event-store.port';

/** One append as it is logged: its events share one commit and one recordedAt. */
export interface Commit {
  commitId: string;
  streamId: string;
  streamType: string;
  tenantId: string;
  events: StoredEvent[];
}

/** What an append has to do: nothing (a recognised retry) or store a new commit. */
export type AppendPlan =
  { kind: 'already-stored'; result: AppendResult } | { kind: 'new'; commit: Commit };

/**
 * The in-memory adapter's indexes and append rules (validateAppendRequest is shared with SQLite).
 * Not thread-safe across awaits: callers serialise `plan` + (durable write) + `apply`.
 */
export class EventIndex {
  private readonly streams = new Map<string, StoredEvent[]>();
  /** all[i].position === i + 1 */
  private readonly all: StoredEvent[] = [];
  private readonly byId = new Map<string, StoredEvent>();
  /** Each tenant's events in commit order: the feed never walks other tenants' events. */
  private readonly byTenant = new Map<string, StoredEvent[]>();

  /** Validates a request against the current state; throws VersionConflictError or DuplicateEventIdError. */
  plan(request: AppendRequest, recordedAt: string): AppendPlan {
    validateAppendRequest(request);
    const { streamId, streamType, tenantId, expectedVersion } = request;
    const stream = this.streams.get(streamId) ?? [];

    const retried = this.findRetry(request);
    if (retried) {
      return {
        kind: 'already-stored',
        result: { version: retried[retried.length - 1].version, events: retried },
      };
    }
    if (expectedVersion !== stream.length) {
      throw new VersionConflictError(streamId, expectedVersion, stream.length);
    }
    for (const event of request.events) {
      const existing = this.byId.get(event.id);
      if (existing) throw new DuplicateEventIdError(event.id, existing.streamId);
    }

    const events = request.events.map((event, i): StoredEvent =>
      toJson({
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        streamId,
        streamType,
        version: stream.length + i + 1,
        tenantId,
        occurredAt: event.occurredAt,
        recordedAt,
        data: event.data,
        metadata: event.metadata,
        position: this.all.length + i + 1,
      }),
    );
    return { kind: 'new', commit: { commitId: uuidv7(), streamId, streamType, tenantId, events } };
  }

  /** Adds a commit (new, or replayed from a log); throws if it does not continue the stream and the global order. */
  apply(commit: Commit): AppendResult {
    const stream = this.streams.get(commit.streamId) ?? [];
    commit.events.forEach((event, i) => {
      if (
        event.streamId !== commit.streamId ||
        event.version !== stream.length + i + 1 ||
        event.position !== this.all.length + i + 1 ||
        this.byId.has(event.id)
      ) {
        throw new Error(
          `commit ${commit.commitId} does not continue stream ${commit.streamId} ` +
            `(event ${event.id}, version ${event.version}, position ${event.position})`,
        );
      }
    });
    const tenantEvents = this.byTenant.get(commit.tenantId) ?? [];
    for (const event of commit.events) {
      deepFreeze(event);
      stream.push(event);
      this.all.push(event);
      this.byId.set(event.id, event);
      tenantEvents.push(event);
    }
    this.byTenant.set(commit.tenantId, tenantEvents);
    this.streams.set(commit.streamId, stream);
    this.byTenant.set(commit.tenantId, tenantEvents);
    return { version: stream.length, events: [...commit.events] };
  }

  readStream(
    streamId: string,
    options: { fromVersion?: number; toVersion?: number } = {},
  ): StoredEvent[] {
    const stream = this.streams.get(streamId) ?? [];
    const from = Math.max(options.fromVersion ?? 1, 1);
    const to = options.toVersion ?? Infinity;
    return stream.slice(from - 1, to);
  }

  get headPosition(): number {
    return this.all.length;
  }

  readAll(options: ReadAllOptions = {}): StoredEvent[] {
    const after = Math.max(options.after ?? 0, 0);
    const limit = checkLimit(options.limit);
    return this.all.slice(after, limit === undefined ? undefined : after + limit);
  }

  /** The tenant's events (or, with a streamId, that stream's) from `after` on, through the shared page rules. */
  readFeed(query: FeedQuery): FeedPage {
    const builder = new FeedPageBuilder(query, this.all.length);
    const candidates =
      (query.streamId === undefined
        ? this.byTenant.get(query.tenantId)
        : this.streams.get(query.streamId)) ?? [];
    for (let i = firstAfter(candidates, query.after); i < candidates.length; i += 1) {
      if (!builder.offer(candidates[i])) break;
    }
    return builder.page();
  }

  /** A retried commit with the same ids is recognised as already stored: every id sits in this stream at the version the request implies. */
  private findRetry(request: AppendRequest): StoredEvent[] | undefined {
    const stored: StoredEvent[] = [];
    for (const [i, event] of request.events.entries()) {
      const existing = this.byId.get(event.id);
      if (
        !existing ||
        existing.streamId !== request.streamId ||
        existing.version !== request.expectedVersion + i + 1
      ) {
        return undefined;
      }
      stored.push(existing);
    }
    return stored;
  }
}

function checkLimit(limit: number | undefined): number | undefined {
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new Error(`read limit must be a non-negative integer, got ${limit}`);
  }
  return limit;
}

/** The index of the first event with position > `after` in a position-ordered list. */
function firstAfter(events: readonly StoredEvent[], after: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (events[mid].position <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function validateAppendRequest(request: AppendRequest): void {
  if (!request.streamId) throw new Error('append needs a streamId');
  if (!Number.isInteger(request.expectedVersion) || request.expectedVersion < 0) {
    throw new Error(
      `expectedVersion must be a non-negative integer, got ${request.expectedVersion}`,
    );
  }
  if (request.events.length === 0) {
    throw new Error(`append to ${request.streamId} has no events`);
  }
  const ids = new Set(request.events.map((event) => event.id));
  if (ids.size !== request.events.length) {
    throw new Error(`append to ${request.streamId} repeats an event id`);
  }
}

/** Stored events are plain JSON, whichever adapter holds them. */
function toJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Stored events are frozen once, when stored, so callers share them and cannot change what is
 * stored. (Copying each event on every read made reading a long stream, which every command
 * does, cost more than the command itself.)
 */
export function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
