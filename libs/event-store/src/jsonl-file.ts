/** Building blocks of the embedded file adapters: JSON-lines log, serial queue (the lock: data-dir-lock.ts). */
import { FileHandle, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Receives warnings such as "dropped a torn last line"; Nest's `logger.warn.bind(logger)` fits. */
export type Logger = (message: string) => void;

/**
 * Reads a JSON-lines file (missing = empty). A bad last line is a torn append (the process
 * died mid-write, so it was never acknowledged): it is cut off, fsynced and logged. A bad
 * line followed by good ones is corruption and throws.
 */
export async function readJsonLines(path: string, logger?: Logger): Promise<unknown[]> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw err;
  }
  const records: unknown[] = [];
  let start = 0;
  while (start < buffer.length) {
    const newline = buffer.indexOf(0x0a, start);
    const end = newline === -1 ? buffer.length : newline;
    const record =
      newline === -1 ? undefined : parseJson(buffer.subarray(start, end).toString('utf8'));
    if (record === undefined) {
      if (end < buffer.length - 1) {
        throw new Error(
          `${path}: unreadable line at byte ${start} followed by more data; refusing to open`,
        );
      }
      await truncateFile(path, start);
      logger?.(
        `${path}: dropped a torn last line (${buffer.length - start} bytes at byte ${start})`,
      );
      break;
    }
    records.push(record);
    start = end + 1;
  }
  return records;
}

/** Replaces a JSON-lines file atomically (temp file, fsync, rename, fsync dir). */
export async function rewriteJsonLines(path: string, records: unknown[]): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(records.map((record) => JSON.stringify(record) + '\n').join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  await syncDir(dirname(path));
}

/** Appends one JSON line per call with a single write and a datasync before it resolves. */
export class JsonlAppender {
  private broken?: Error;

  private constructor(
    private readonly handle: FileHandle,
    private size: number,
  ) {}

  static async open(path: string): Promise<JsonlAppender> {
    const handle = await open(path, 'a');
    const { size } = await handle.stat();
    if (size === 0) await syncDir(dirname(path)); // make a new file's directory entry durable
    return new JsonlAppender(handle, size);
  }

  async append(record: unknown): Promise<void> {
    if (this.broken)
      throw new Error(`log is unusable after a failed write: ${this.broken.message}`);
    const line = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
    try {
      let written = 0;
      while (written < line.length) {
        written += (await this.handle.write(line, written, line.length - written)).bytesWritten;
      }
      await this.handle.datasync();
    } catch (err) {
      // Cut off whatever part of the line made it, so the log stays a sequence of whole lines.
      try {
        await this.handle.truncate(this.size);
        await this.handle.datasync();
      } catch (rollbackError) {
        this.broken =
          rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw err;
    }
    this.size += line.length;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** A promise-chain mutex: tasks run one at a time, in call order. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

async function truncateFile(path: string, length: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported on every platform (e.g. Windows); the data itself is already synced.
  } finally {
    await handle?.close();
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}
