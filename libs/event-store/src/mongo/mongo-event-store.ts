import { Collection, Db, Filter, FindCursor } from 'mongodb';
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
import { ensureIndexes, isDuplicateKeyError, sleep } from './mongo-support';

export const EVENT_COMMITS_COLLECTION = 'event_commits';
export const DEFAULT_GAP_TIMEOUT_MS = 5_000;

export interface MongoEventStoreOptions {
  /** Stamps recordedAt; also the "now" that readAll compares gap ages with. */
  clock?: () => Date;
  /** How long readAll waits at a hole in the positions before skipping it (default 5 s). */
  gapTimeoutMs?: number;
}

/** One append, stored as one document. */
export interface CommitDocument {
  /** The first event's id. */
  _id: string;
  streamId: string;
  streamType: string;
  tenantId: string;
  firstVersion: number;
  lastVersion: number;
  firstPosition: number;
  lastPosition: number;
  /** ISO timestamp shared by the commit's events. */
  recordedAt: string;
  recordedAtMs: number;
  events: StoredEvent[];
}

/** Attempts at a free global position before an append gives up. */
const MAX_APPEND_ATTEMPTS = 200;
/** Streams whose version an instance remembers. */
const HEAD_CACHE_LIMIT = 10_000;
/** readAll reads this many commits at a time and keeps up to RUN_CACHE_LIMIT. */
const READ_AHEAD = 512;
const RUN_CACHE_LIMIT = 1024;
/**
 * How long the cursor of a paged readAll stays open for the next page. Reading history page by
 * page (catch-up, rebuild, the relay's backlog) then costs one query, not one per page: on
 * MongoDB one round trip less per page, on FerretDB one full collection scan and sort instead
 * of one per page (quadratic in the history).
 */
const TAIL_IDLE_MS = 60_000;

/**
 * The MongoDB event store. Works on MongoDB and on FerretDB 1.x (SQLite), and therefore uses
 * neither transactions nor change streams, nor updates to arbitrate between writers (FerretDB's
 * updates are not atomic: see mongo-support.ts). The only arbitration is a unique-index insert.
 *
 * Storage: ONE document per append in `event_commits` (CommitDocument), so an append is atomic
 * without transactions: it is a single insert. Indexes:
 *  - `_id` = the first event id: a retried append is found by primary key;
 *  - unique `{streamId, firstVersion}`: two writers that decided against the same stream version
 *    collide on insert;
 *  - unique `{firstPosition}`: two writers that chose the same global position collide;
 *  - `{streamId, lastVersion: -1}`: the stream's current version;
 *  - `{lastPosition}`: readAll (and the current global position, read from its end);
 *  - `{tenantId, lastPosition}`: readFeed reads one tenant's commits in order;
 *  - unique `{events.id}`: no event id in two commits. MongoDB enforces it; FerretDB accepts
 *    the index but does not enforce it on an array field, so there only the first event id of
 *    a commit (the `_id`) is guaranteed unique.
 *
 * Append: insert first, ask questions on a collision.
 *  - The commit goes in at versions expectedVersion+1.. and positions lastPosition+1... The
 *    unique indexes make that one insert the whole check: a stale expectedVersion, a reused
 *    first id or a taken position all fail it with a duplicate key, and nothing is stored.
 *  - Versions: the insert alone cannot reject an expectedVersion *ahead* of the stream (a gap
 *    collides with nothing). So it needs proof that version expectedVersion exists: 0 always
 *    does, otherwise the instance's memory of versions it saw stored (by its appends and
 *    readStream; versions never go away), otherwise the stream's head is read. After a
 *    readStream, the usual command flow, an append therefore reads nothing before inserting.
 *  - Positions: the highest position the instance saw stored (read once at start). If another
 *    instance appended since, the insert collides on `firstPosition` and retries with the
 *    position read anew.
 *  - On a duplicate key FerretDB does not say which index collided (no keyPattern/keyValue),
 *    so it is read back, in the embedded store's order: a commit with `_id` = first id that
 *    holds the request's ids at versions expectedVersion+1.. is the same append made before
 *    (its stored events are returned); else a stream past expectedVersion -> VersionConflictError
 *    with the version read; else the `_id` taken by another commit -> DuplicateEventIdError;
 *    else the position was taken -> try again at the next one (every round has a winner, so the
 *    system always progresses); else (MongoDB only) another id in `events.id` ->
 *    DuplicateEventIdError.
 *
 * Global order without a counter: the brief planned to reserve positions with
 * `findOneAndUpdate({$inc})` on a counter document, but on FerretDB concurrent `$inc`s return
 * the same value (measured: 6 distinct values out of 40 concurrent increments), so positions
 * are claimed by the commit insert itself through the unique `firstPosition` index. A writer
 * only ever inserts at `lastPosition + 1` of a commit known to exist, commits are never
 * deleted, and two commits cannot start at the same position; by induction the stored commits
 * always cover 1..max without holes or overlaps, and insertion order is position order. So an
 * append that fails consumes no position (no tombstone to write), a writer that crashes
 * mid-append leaves nothing behind, and no position below the highest visible one can still
 * be in flight: readAll never waits for a reservation. Cost: appends to different streams
 * contend for the next position; the losers retry.
 *
 * readAll still checks contiguity and never returns an event past a hole. This adapter cannot
 * create holes, but a commit deleted by hand or written by other code can. A hole is skipped
 * only when the first commit after it was recorded more than `gapTimeoutMs` ago. A writer that
 * was only slow would have filled it by then, so an old hole is lost data and waiting longer
 * would stall every consumer for good. Tombstone commits (`events: []`) are honoured: they
 * contribute no events but close their range.
 *
 * Clocks: recordedAt/recordedAtMs come from the writer's clock; the gap age compares them with
 * the reader's clock, so clock skew between instances must stay well below gapTimeoutMs.
 *
 * Performance on FerretDB 1.x: every query there is a full collection scan (its `_id` index
 * is not even used for `_id` lookups, and other filters/sorts are evaluated in Go), so
 * readStream, readAll and any read an append needs grow linearly with the number of commits.
 * The happy-path append is one insert (unique-index checks are real SQLite index lookups).
 * On MongoDB the indexes serve every query. `close()` leaves the MongoClient alone: its
 * owner closes it.
 */
export class MongoEventStore implements EventStore {
  private closed = false;
  /** Per stream, a version this instance saw stored: the stream is at least there. */
  private readonly heads = new Map<string, number>();
  /** The highest position this instance saw stored (undefined: not read yet). */
  private lastPosition: number | undefined;
  /**
   * The contiguous run of commits readAll read last, in position order. Commits never change,
   * so later pages inside it are served without a query (on FerretDB every query is a scan).
   */
  private run: CommitDocument[] = [];
  /** The cursor the last readAll stopped reading, kept for a read that continues there. */
  private tail?: { cursor: FindCursor<CommitDocument>; next: number; idle: NodeJS.Timeout };

  private constructor(
    private readonly commits: Collection<CommitDocument>,
    private readonly clock: () => Date,
    private readonly gapTimeoutMs: number,
  ) {}

  static async open(db: Db, options: MongoEventStoreOptions = {}): Promise<MongoEventStore> {
    const gapTimeoutMs = options.gapTimeoutMs ?? DEFAULT_GAP_TIMEOUT_MS;
    if (!(Number.isFinite(gapTimeoutMs) && gapTimeoutMs >= 0)) {
      throw new Error(`gapTimeoutMs must be a non-negative number, got ${gapTimeoutMs}`);
    }
    const commits = db.collection<CommitDocument>(EVENT_COMMITS_COLLECTION);
    await ensureIndexes(commits, [
      { key: { streamId: 1, firstVersion: 1 }, name: 'stream_version_unique', unique: true },
      { key: { streamId: 1, lastVersion: -1 }, name: 'stream_head' },
      { key: { firstPosition: 1 }, name: 'position_unique', unique: true },
      { key: { lastPosition: 1 }, name: 'position_read' },
      { key: { 'events.id': 1 }, name: 'event_id_unique', unique: true },
      { key: { tenantId: 1, lastPosition: 1 }, name: 'tenant_position' },
    ]);
    return new MongoEventStore(commits, options.clock ?? (() => new Date()), gapTimeoutMs);
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    this.assertOpen();
    validateAppendRequest(request);
    const { streamId, expectedVersion } = request;

    if (expectedVersion !== (this.heads.get(streamId) ?? 0)) {
      // This instance cannot vouch that the stream is at expectedVersion: read it.
      const retried = await this.findRetry(request);
      if (retried) return retried;
      const current = await this.readHead(streamId);
      if (current !== expectedVersion) {
        throw new VersionConflictError(streamId, expectedVersion, current);
      }
    }

    for (let attempt = 1; ; attempt += 1) {
      const lastPosition = this.lastPosition ?? (await this.readLastPosition());
      const commit = this.newCommit(request, lastPosition);
      try {
        await this.commits.insertOne(commit);
        this.rememberHead(streamId, commit.lastVersion);
        this.rememberPosition(commit.lastPosition);
        return { version: commit.lastVersion, events: commit.events.map(copy) };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const outcome = await this.explainCollision(request, commit, err);
        if (outcome !== 'position-taken') return outcome;
        if (attempt >= MAX_APPEND_ATTEMPTS) {
          throw new Error(`append to ${streamId} found no free position in ${attempt} attempts`);
        }
        // Losers of a position race all retry at once; after a few rounds spread them out.
        if (attempt > 3) await sleep(Math.random() * Math.min(attempt, 20));
      }
    }
  }

  async readStream(
    streamId: string,
    options: { fromVersion?: number; toVersion?: number } = {},
  ): Promise<StoredEvent[]> {
    this.assertOpen();
    const from = Math.max(options.fromVersion ?? 1, 1);
    const to = options.toVersion ?? Infinity;
    if (to < from) return [];
    const filter: Filter<CommitDocument> = { streamId, lastVersion: { $gte: from } };
    if (Number.isFinite(to)) filter.firstVersion = { $lte: to };
    const commits = await this.commits.find(filter).sort({ firstVersion: 1 }).toArray();
    if (commits.length > 0) this.rememberHead(streamId, commits[commits.length - 1].lastVersion);
    return commits
      .flatMap((commit) => commit.events)
      .filter((event) => event.version >= from && event.version <= to);
  }

  /** Read anew: another instance may have appended since. */
  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.readLastPosition();
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const after = Math.max(options.after ?? 0, 0);
    const { limit } = options;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
      throw new Error(`readAll limit must be a non-negative integer, got ${limit}`);
    }
    const wanted = limit ?? Infinity;
    const events: StoredEvent[] = [];
    /** The next position the result may continue with. */
    let next = after + 1;
    while (events.length < wanted) {
      let run = this.run;
      let i = this.runIndexOf(next);
      if (i < 0) {
        const fetched = await this.fetchRun(next, limit === undefined ? undefined : READ_AHEAD);
        if (!fetched) break;
        [run, i] = [fetched, 0];
      }
      for (; i < run.length && events.length < wanted; i += 1) {
        const commit = run[i];
        for (const event of commit.events) {
          if (event.position < next) continue;
          events.push(copy(event));
          if (events.length >= wanted) break;
        }
        next = commit.lastPosition + 1;
      }
    }
    return events;
  }

  /**
   * One tenant's commits in position order, read in batches until the page is complete. The
   * head is read first and only commits starting at or before it are read: positions become
   * visible as a prefix (see the class comment), so everything up to the head is there, and a
   * page that reaches it can hand out the head as its cursor. Tenant, stream and type filters
   * are in the query (the commit holds some matching event); the page rules are shared.
   */
  async readFeed(query: FeedQuery): Promise<FeedPage> {
    this.assertOpen();
    const head = await this.readLastPosition();
    const builder = new FeedPageBuilder(query, head);
    const filter: Filter<CommitDocument> = {
      tenantId: query.tenantId,
      firstPosition: { $lte: head },
    };
    if (query.streamId !== undefined) filter.streamId = query.streamId;
    if (query.streamType !== undefined) filter.streamType = query.streamType;
    if (query.types && query.types.length > 0) filter['events.type'] = { $in: [...query.types] };
    const batchSize = Math.min(query.scanLimit, Math.max(query.limit + 1, READ_AHEAD));
    let after = query.after;
    while (!builder.done) {
      const commits = await this.commits
        .find({ ...filter, lastPosition: { $gt: after } })
        .sort({ lastPosition: 1 })
        .limit(batchSize)
        .toArray();
      for (const commit of commits) {
        for (const event of commit.events) if (!builder.offer(event)) break;
        if (builder.done) break;
      }
      if (commits.length < batchSize) break;
      after = commits[commits.length - 1].lastPosition;
    }
    return builder.page();
  }

  async ping(): Promise<void> {
    await this.commits.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.dropTail();
  }

  /**
   * Reads the commits from the one holding position `next` on (at most `limit`) and returns
   * their contiguous run, also kept (its last RUN_CACHE_LIMIT commits) in `run`; undefined
   * when there is none to read yet.
   *
   * Contiguity: a position after `next` that no commit holds is a hole. The run never crosses
   * one. A hole right at `next` ends the read, unless the commit after it was recorded more
   * than gapTimeoutMs ago (see the class comment); then the run starts after it.
   */
  private async fetchRun(
    next: number,
    limit: number | undefined,
  ): Promise<CommitDocument[] | undefined> {
    const cursor = this.takeTail(next) ?? this.openTail(next);
    const commits: CommitDocument[] = [];
    while ((limit === undefined || commits.length < limit) && (await cursor.hasNext())) {
      commits.push((await cursor.next())!);
    }
    const now = this.clock().getTime();
    const run: CommitDocument[] = [];
    let cut = false;
    for (const commit of commits) {
      const expected = run.length > 0 ? run[run.length - 1].lastPosition + 1 : next;
      if (commit.firstPosition > expected) {
        // A hole after some commits: stop the run there; the next fetch starts at the hole.
        cut = run.length > 0 || now - commit.recordedAtMs <= this.gapTimeoutMs;
        if (cut) break;
        // An old hole at `next`: skip it.
      }
      run.push(commit);
    }
    const exhausted = limit === undefined || commits.length < limit;
    if (cut || exhausted || run.length === 0 || this.closed) await cursor.close();
    else this.keepTail(cursor, run[run.length - 1].lastPosition + 1);
    if (run.length === 0) return undefined;
    this.run = run.slice(-RUN_CACHE_LIMIT);
    this.rememberPosition(run[run.length - 1].lastPosition);
    return run;
  }

  /**
   * Commits in position order from the one holding `next`. Commits do not overlap, so
   * lastPosition order is firstPosition order, and one index serves both filter and sort.
   */
  private openTail(next: number): FindCursor<CommitDocument> {
    return this.commits
      .find({ lastPosition: { $gte: next } })
      .sort({ lastPosition: 1 })
      .batchSize(READ_AHEAD);
  }

  /** The kept cursor if it continues exactly at `next` (it is then the caller's alone). */
  private takeTail(next: number): FindCursor<CommitDocument> | undefined {
    if (this.tail?.next !== next) return undefined;
    const { cursor, idle } = this.tail;
    clearTimeout(idle);
    this.tail = undefined;
    return cursor;
  }

  private keepTail(cursor: FindCursor<CommitDocument>, next: number): void {
    this.dropTail();
    const idle = setTimeout(() => this.dropTail(), TAIL_IDLE_MS);
    idle.unref();
    this.tail = { cursor, next, idle };
  }

  private dropTail(): void {
    if (!this.tail) return;
    clearTimeout(this.tail.idle);
    void this.tail.cursor.close().catch(() => undefined);
    this.tail = undefined;
  }

  /** The index in `run` of the commit holding `position`, or -1. */
  private runIndexOf(position: number): number {
    let low = 0;
    let high = this.run.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const commit = this.run[mid];
      if (position < commit.firstPosition) high = mid - 1;
      else if (position > commit.lastPosition) low = mid + 1;
      else return mid;
    }
    return -1;
  }

  /**
   * Works out which unique index an insert collided with (FerretDB does not say) and answers
   * for it: the stored result of a retried append, VersionConflictError,
   * DuplicateEventIdError, or 'position-taken' when another append got the position first.
   */
  private async explainCollision(
    request: AppendRequest,
    commit: CommitDocument,
    err: unknown,
  ): Promise<AppendResult | 'position-taken'> {
    const { streamId, expectedVersion } = request;
    const [sameId, current] = await Promise.all([
      this.commits.findOne({ _id: commit._id }),
      this.readHead(streamId),
    ]);
    const retried = sameId && asRetry(sameId, request);
    if (retried) return retried;
    if (current !== expectedVersion) {
      throw new VersionConflictError(streamId, expectedVersion, current);
    }
    if (sameId) throw new DuplicateEventIdError(commit._id, sameId.streamId);
    if ((await this.readLastPosition()) >= commit.firstPosition) return 'position-taken';
    // Not the id, the version or the position: another event id of the commit is stored
    // already (MongoDB's unique index on events.id; FerretDB does not enforce that index).
    const stored = await this.findStoredId(request.events.map((event) => event.id));
    if (stored) throw new DuplicateEventIdError(stored.eventId, stored.streamId);
    throw err;
  }

  /** The stored result of the same append made before (same first id, same ids, same versions). */
  private async findRetry(request: AppendRequest): Promise<AppendResult | undefined> {
    const commit = await this.commits.findOne({ _id: request.events[0].id });
    return (commit && asRetry(commit, request)) || undefined;
  }

  /** The stream's current version, read from the database. */
  private async readHead(streamId: string): Promise<number> {
    const head = await this.commits.findOne(
      { streamId },
      { sort: { lastVersion: -1 }, projection: { lastVersion: 1 } },
    );
    const version = head?.lastVersion ?? 0;
    this.rememberHead(streamId, version);
    return version;
  }

  /** The highest stored position, read from the database. */
  private async readLastPosition(): Promise<number> {
    const last = await this.commits.findOne(
      {},
      { sort: { lastPosition: -1 }, projection: { lastPosition: 1 } },
    );
    const position = last?.lastPosition ?? 0;
    this.rememberPosition(position);
    return position;
  }

  private async findStoredId(
    ids: string[],
  ): Promise<{ eventId: string; streamId: string } | undefined> {
    const commit = await this.commits.findOne(
      { 'events.id': { $in: ids } },
      { projection: { streamId: 1, 'events.id': 1 } },
    );
    if (!commit) return undefined;
    const storedIds = new Set(commit.events.map((event) => event.id));
    const eventId = ids.find((id) => storedIds.has(id)) ?? ids[0];
    return { eventId, streamId: commit.streamId };
  }

  /** Records that `version` exists in the stream (versions never go away). */
  private rememberHead(streamId: string, version: number): void {
    if (version <= (this.heads.get(streamId) ?? 0)) return;
    this.heads.delete(streamId); // re-insert: Map order is the eviction order
    this.heads.set(streamId, version);
    if (this.heads.size > HEAD_CACHE_LIMIT) {
      this.heads.delete(this.heads.keys().next().value as string);
    }
  }

  /** Records that a commit ends at `position` (commits never go away). */
  private rememberPosition(position: number): void {
    if (position > (this.lastPosition ?? 0)) this.lastPosition = position;
    else this.lastPosition ??= position;
  }

  private newCommit(request: AppendRequest, lastPosition: number): CommitDocument {
    const { streamId, streamType, tenantId, expectedVersion } = request;
    const recordedAtDate = this.clock();
    const recordedAt = recordedAtDate.toISOString();
    const events = request.events.map((event, i): StoredEvent =>
      toJson({
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        streamId,
        streamType,
        version: expectedVersion + i + 1,
        tenantId,
        occurredAt: event.occurredAt,
        recordedAt,
        data: event.data,
        metadata: event.metadata,
        position: lastPosition + i + 1,
      }),
    );
    return {
      _id: events[0].id,
      streamId,
      streamType,
      tenantId,
      firstVersion: events[0].version,
      lastVersion: events[events.length - 1].version,
      firstPosition: events[0].position,
      lastPosition: events[events.length - 1].position,
      recordedAt,
      recordedAtMs: recordedAtDate.getTime(),
      events,
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MongoEventStore is closed');
  }
}

/** The stored events, if `commit` is `request` made before (its ids, from expectedVersion + 1). */
function asRetry(commit: CommitDocument, request: AppendRequest): AppendResult | undefined {
  if (
    commit.streamId !== request.streamId ||
    commit.firstVersion !== request.expectedVersion + 1 ||
    request.events.length > commit.events.length ||
    request.events.some((event, i) => commit.events[i].id !== event.id)
  ) {
    return undefined;
  }
  const events = commit.events.slice(0, request.events.length);
  return { version: events[events.length - 1].version, events };
}

/** Stored events are plain JSON, whichever adapter holds them. */
function toJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function copy(event: StoredEvent): StoredEvent {
  return structuredClone(event);
}
