/**
 * The embedded store's one-process-per-DATA_DIR lock: `<dataDir>/<name>.lock` holds the
 * holder's identity (pid, its start time, the pid namespace and the kernel's boot id).
 *
 * A holder this process can see (same boot, same pid namespace) is judged by its pid at once:
 * a lock whose process is gone, or whose pid now belongs to a younger process, is taken over
 * immediately, so a restart right after `kill -9` succeeds. A holder we cannot see (another
 * container's pid namespace sharing the volume) is judged by its heartbeat: the holder touches
 * the file every HEARTBEAT_MS and the lock is stale after STALE_MS without one. A holder on
 * another boot is gone (the machine restarted). A DATA_DIR shared between machines is not
 * supported.
 *
 * Taking over a dead holder's lock happens under `<name>.lock.takeover` (an atomic mkdir), and
 * only removes the lock file if it still holds exactly the dead holder's record, so of
 * several processes starting at once exactly one wins.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { mkdir, open, readFile, rmdir, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from './jsonl-file';

const STALE_MS = 10_000;
const HEARTBEAT_MS = 2_000;
/** A takeover directory older than this was left by a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 2_000;
const MAX_ATTEMPTS = 200;

export interface LockHolder {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22). */
  startTime: string | null;
  /** /proc/sys/kernel/random/boot_id, or `host:<hostname>` where /proc is absent. */
  bootId: string;
  /** The pid namespace (`pid:[4026531836]`), or null where /proc is absent. */
  pidNamespace: string | null;
  hostname: string;
  acquiredAt: string;
  /** Makes every record unique, so a takeover never mistakes a new holder for a dead one. */
  nonce: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly lockPath: string,
    readonly holder?: Pick<LockHolder, 'pid' | 'hostname'>,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by another process` +
        (holder ? ` (pid ${holder.pid} on ${holder.hostname})` : '') +
        ` (lock ${lockPath}). Stop that process or use another DATA_DIR.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** An exclusive, cross-process lock on one file in a data dir (`<dataDir>/<name>.lock`). */
export class DataDirLock {
  private heartbeat?: NodeJS.Timeout;
  private compromised?: Error;
  private released = false;

  private constructor(
    private readonly lockPath: string,
    private readonly record: string,
    private readonly logger?: Logger,
  ) {}

  static async acquire(dataDir: string, name: string, logger?: Logger): Promise<DataDirLock> {
    await mkdir(dataDir, { recursive: true });
    const lockPath = join(dataDir, `${name}.lock`);
    const record = JSON.stringify(currentHolder());
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (await createExclusive(lockPath, record)) {
        const lock = new DataDirLock(lockPath, record, logger);
        lock.startHeartbeat();
        return lock;
      }
      const existing = await readIfExists(lockPath);
      if (existing === undefined) continue; // released in between: try again
      const verdict = await judge(lockPath, existing);
      if (verdict.kind === 'alive') throw new DataDirLockedError(dataDir, lockPath, verdict.holder);
      if (verdict.kind === 'unknown') {
        await sleep(20); // being written by a process that just created it
        continue;
      }
      if (await removeIfUnchanged(lockPath, existing)) {
        logger?.(`took over ${lockPath} from ${verdict.reason}`);
      }
    }
    throw new Error(`could not take ${lockPath}: it kept changing under ${MAX_ATTEMPTS} attempts`);
  }

  /** Throws if the lock file no longer holds this process's record. */
  assertHeld(): void {
    if (this.released) throw new Error(`data dir lock ${this.lockPath} was released`);
    if (this.compromised) throw new Error(`data dir lock lost: ${this.compromised.message}`);
  }

  /** Idempotent. */
  async releaseLock(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.heartbeat);
    if (this.compromised) return;
    if ((await readIfExists(this.lockPath)) === this.record) await unlink(this.lockPath);
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private async beat(): Promise<void> {
    if (this.released || this.compromised) return;
    try {
      if ((await readIfExists(this.lockPath)) !== this.record) {
        throw new Error(`${this.lockPath} no longer holds this process's record`);
      }
      const now = new Date();
      await utimes(this.lockPath, now, now);
    } catch (err) {
      if (this.released) return;
      this.compromised = err instanceof Error ? err : new Error(String(err));
      clearInterval(this.heartbeat);
      this.logger?.(`lock ${this.lockPath} was compromised, refusing further writes: ${err}`);
    }
  }
}

type Verdict =
  { kind: 'alive'; holder: LockHolder } | { kind: 'dead'; reason: string } | { kind: 'unknown' };

async function judge(lockPath: string, raw: string): Promise<Verdict> {
  const holder = parseHolder(raw);
  if (!holder) {
    // Created but not yet written, or torn by a crash between create and write.
    const age = await ageMs(lockPath);
    return age !== undefined && age > TAKEOVER_STALE_MS
      ? { kind: 'dead', reason: 'an unreadable lock file' }
      : { kind: 'unknown' };
  }
  const self = currentHolder();
  if (holder.bootId !== self.bootId) {
    return { kind: 'dead', reason: `pid ${holder.pid} of an earlier boot` };
  }
  if (holder.pidNamespace !== self.pidNamespace) {
    // Another container's process: we cannot see it, so trust only its heartbeat.
    const age = await ageMs(lockPath);
    return age !== undefined && age > STALE_MS
      ? { kind: 'dead', reason: `pid ${holder.pid} of another pid namespace, silent for ${age} ms` }
      : { kind: 'alive', holder };
  }
  const startTime = processStartTime(holder.pid);
  if (!isRunning(holder.pid)) return { kind: 'dead', reason: `dead pid ${holder.pid}` };
  if (holder.startTime !== null && startTime !== null && startTime !== holder.startTime) {
    return { kind: 'dead', reason: `dead pid ${holder.pid} (the pid was reused)` };
  }
  return { kind: 'alive', holder };
}

/** Removes the lock file only if it still holds `expected`, under the takeover mutex. */
async function removeIfUnchanged(lockPath: string, expected: string): Promise<boolean> {
  const mutex = `${lockPath}.takeover`;
  try {
    await mkdir(mutex);
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err;
    const age = await ageMs(mutex);
    if (age !== undefined && age > TAKEOVER_STALE_MS) await rmdir(mutex).catch(() => undefined);
    else await sleep(5);
    return false;
  }
  try {
    if ((await readIfExists(lockPath)) !== expected) return false;
    await unlink(lockPath);
    return true;
  } finally {
    await rmdir(mutex).catch(() => undefined);
  }
}

/** Creates the file with O_EXCL and writes the record durably; false if it exists. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

let self: Omit<LockHolder, 'acquiredAt' | 'nonce'> | undefined;

function currentHolder(): LockHolder {
  self ??= {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    bootId: bootId(),
    pidNamespace: readOrNull(() => readlinkSync('/proc/self/ns/pid')),
    hostname: hostname(),
  };
  return { ...self, acquiredAt: new Date().toISOString(), nonce: randomBytes(8).toString('hex') };
}

function bootId(): string {
  return (
    readOrNull(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()) ??
    `host:${hostname()}`
  );
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may contain spaces and ')'. */
export function processStartTime(pid: number): string | null {
  const stat = readOrNull(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM'; // exists, owned by another user
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>;
    return Number.isInteger(value.pid) && typeof value.bootId === 'string'
      ? (value as LockHolder)
      : undefined;
  } catch {
    return undefined;
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

async function ageMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

function readOrNull(read: () => string): string | null {
  try {
    return read();
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}
