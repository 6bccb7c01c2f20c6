import type { SqliteDatabase } from './sqlite-database';

/**
 * At most this many writes, carrying at most this many characters of JSON (but at least one
 * write), share one transaction; the rest go in the next one, a turn later. The transaction runs
 * on the event loop, so its work (inserting, and parsing what it returns) must stay short.
 */
const MAX_BATCH = 1_000;
export const MAX_BATCH_CHARS = 2 << 20;

interface QueuedWrite {
  write: () => unknown;
  chars: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: every write queued during one turn of the event loop is committed in ONE
 * transaction, so one WAL sync (synchronous=FULL) pays for all of them. Each write runs in its
 * own savepoint (better-sqlite3 nests transaction functions as savepoints): a write that throws
 * is rolled back alone and rejects alone; the others in the batch still commit. Every promise
 * settles only after the transaction committed (or failed as a whole), so an acknowledged write
 * is durable.
 */
export class GroupCommit {
  private queue: QueuedWrite[] = [];
  private scheduled = false;
  /** Transactions committed so far (a batch of n writes counts once). */
  commits = 0;

  constructor(private readonly db: SqliteDatabase) {}

  /**
   * Runs `write` (synchronous SQL) inside the next group transaction; resolves once committed.
   * `chars` is the size of what it writes (its JSON), which bounds how many share a transaction.
   */
  run<T>(write: () => T, chars = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, chars, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves once everything queued before the call has been committed (or has failed). */
  async drain(): Promise<void> {
    if (this.queue.length > 0) await this.run(() => undefined);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.nextBatchSize());
    if (this.queue.length > 0) this.schedule();
    if (batch.length === 0) return;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.db
        .transaction(() => {
          for (const item of batch) {
            try {
              outcomes.push({ ok: true, value: this.db.transaction(item.write)() });
            } catch (error) {
              outcomes.push({ ok: false, value: error });
            }
          }
        })
        .immediate();
      this.commits += 1;
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) =>
      outcomes[i].ok ? item.resolve(outcomes[i].value) : item.reject(outcomes[i].value),
    );
  }

  /** How many queued writes the next transaction takes: MAX_BATCH and MAX_BATCH_CHARS, at least one. */
  private nextBatchSize(): number {
    let taken = 0;
    let chars = 0;
    for (const item of this.queue) {
      if (taken === MAX_BATCH || (taken > 0 && chars + item.chars > MAX_BATCH_CHARS)) break;
      chars += item.chars;
      taken += 1;
    }
    return taken;
  }
}

const committers = new WeakMap<SqliteDatabase, GroupCommit>();

/** The one group committer of a database connection, shared by every store writing through it. */
export function groupCommitOf(db: SqliteDatabase): GroupCommit {
  let committer = committers.get(db);
  if (!committer) {
    committer = new GroupCommit(db);
    committers.set(db, committer);
  }
  return committer;
}
