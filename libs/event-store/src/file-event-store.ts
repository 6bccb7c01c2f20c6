import { join } from 'node:path';
import { Commit, EventIndex } from './event-index';
import {
  AppendRequest,
  AppendResult,
  EventStore,
  FeedPage,
  FeedQuery,
  ReadAllOptions,
  StoredEvent,
} from './event-store.port';
import { DataDirLock } from './data-dir-lock';
import { JsonlAppender, Logger, SerialQueue, readJsonLines } from './jsonl-file';

export const EVENT_LOG_FILE = 'events.jsonl';

export interface FileEventStoreOptions {
  /** Stamps recordedAt. */
  clock?: () => Date;
  /** Warnings, e.g. a torn last line dropped on open. */
  logger?: Logger;
}

/**
 * The embedded event store (no server): an append-only JSON-lines log `<dataDir>/events.jsonl`,
 * one line per append (a Commit), written with one write + datasync before `append` resolves,
 * plus in-memory indexes rebuilt on open. One process per data dir (DataDirLock).
 */
export class FileEventStore implements EventStore {
  private readonly queue = new SerialQueue();
  private closed = false;

  private constructor(
    private readonly index: EventIndex,
    private readonly log: JsonlAppender,
    private readonly lock: DataDirLock,
    private readonly clock: () => Date,
  ) {}

  /** Creates dataDir if missing; throws DataDirLockedError if another process has it open. */
  static async open(dataDir: string, options: FileEventStoreOptions = {}): Promise<FileEventStore> {
    const lock = await DataDirLock.acquire(dataDir, EVENT_LOG_FILE, options.logger);
    try {
      const path = join(dataDir, EVENT_LOG_FILE);
      const index = new EventIndex();
      const records = await readJsonLines(path, options.logger);
      records.forEach((record, i) => {
        try {
          index.apply(asCommit(record));
        } catch (err) {
          throw new Error(`${path} line ${i + 1}: ${err instanceof Error ? err.message : err}`);
        }
      });
      const log = await JsonlAppender.open(path);
      return new FileEventStore(index, log, lock, options.clock ?? (() => new Date()));
    } catch (err) {
      await lock.releaseLock();
      throw err;
    }
  }

  append(request: AppendRequest): Promise<AppendResult> {
    if (this.closed) return Promise.reject(closedError());
    return this.queue.run(async () => {
      this.lock.assertHeld();
      const plan = this.index.plan(request, this.clock().toISOString());
      if (plan.kind === 'already-stored') return plan.result;
      await this.log.append(plan.commit);
      return this.index.apply(plan.commit);
    });
  }

  async readStream(
    streamId: string,
    options?: { fromVersion?: number; toVersion?: number },
  ): Promise<StoredEvent[]> {
    if (this.closed) throw closedError();
    return this.index.readStream(streamId, options);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    if (this.closed) throw closedError();
    return this.index.readAll(options);
  }

  async readFeed(query: FeedQuery): Promise<FeedPage> {
    if (this.closed) throw closedError();
    return this.index.readFeed(query);
  }

  async headPosition(): Promise<number> {
    if (this.closed) throw closedError();
    return this.index.headPosition;
  }

  /** Waits for appends in flight, then releases the file and the lock. Idempotent. */
  /** The log is local: answering means this instance is open and still holds its DATA_DIR lock. */
  async ping(): Promise<void> {
    if (this.closed) throw new Error('the event store is closed');
    this.lock.assertHeld();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.run(async () => undefined);
    try {
      await this.log.close();
    } finally {
      await this.lock.releaseLock();
    }
  }
}

function asCommit(record: unknown): Commit {
  const commit = record as Partial<Commit>;
  if (
    typeof commit.commitId !== 'string' ||
    typeof commit.streamId !== 'string' ||
    !Array.isArray(commit.events)
  ) {
    throw new Error('not a commit');
  }
  return commit as Commit;
}

function closedError(): Error {
  return new Error('FileEventStore is closed');
}
