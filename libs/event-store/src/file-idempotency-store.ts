import { join } from 'node:path';
import { IdempotencyIndex } from './idempotency-index';
import {
  IdempotencyRecord,
  IdempotencyStore,
  IdempotencyStoreOptions,
  NewIdempotencyRecord,
} from './idempotency-store.port';
import { DataDirLock } from './data-dir-lock';
import { JsonlAppender, Logger, SerialQueue, readJsonLines, rewriteJsonLines } from './jsonl-file';

export const IDEMPOTENCY_LOG_FILE = 'idempotency.jsonl';

export interface FileIdempotencyStoreOptions extends IdempotencyStoreOptions {
  logger?: Logger;
}

/**
 * Idempotency records in `<dataDir>/idempotency.jsonl`: append-only, one line per record,
 * datasynced before `put` resolves. Expired records are dropped on open (the file is
 * rewritten without them). Locked like the event log, with its own lock file.
 */
export class FileIdempotencyStore implements IdempotencyStore {
  private readonly queue = new SerialQueue();
  private closed = false;

  private constructor(
    private readonly index: IdempotencyIndex,
    private readonly log: JsonlAppender,
    private readonly lock: DataDirLock,
  ) {}

  static async open(
    dataDir: string,
    options: FileIdempotencyStoreOptions = {},
  ): Promise<FileIdempotencyStore> {
    const lock = await DataDirLock.acquire(dataDir, IDEMPOTENCY_LOG_FILE, options.logger);
    try {
      const path = join(dataDir, IDEMPOTENCY_LOG_FILE);
      const index = new IdempotencyIndex(options);
      const records = (await readJsonLines(path, options.logger)) as IdempotencyRecord[];
      const kept = records.filter((record) => index.add(record)).length;
      if (kept < records.length) await rewriteJsonLines(path, index.live());
      const log = await JsonlAppender.open(path);
      return new FileIdempotencyStore(index, log, lock);
    } catch (err) {
      await lock.releaseLock();
      throw err;
    }
  }

  async get(tenantId: string, key: string): Promise<IdempotencyRecord | null> {
    if (this.closed) throw closedError();
    return this.index.get(tenantId, key);
  }

  put(record: NewIdempotencyRecord): Promise<IdempotencyRecord> {
    if (this.closed) return Promise.reject(closedError());
    return this.queue.run(async () => {
      this.lock.assertHeld();
      const existing = this.index.get(record.tenantId, record.key);
      if (existing) return existing;
      const created = this.index.create(record);
      await this.log.append(created);
      this.index.add(created);
      return structuredClone(created);
    });
  }

  /** Waits for puts in flight, then releases the file and the lock. Idempotent. */
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

function closedError(): Error {
  return new Error('FileIdempotencyStore is closed');
}
