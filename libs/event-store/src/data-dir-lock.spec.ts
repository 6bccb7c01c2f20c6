import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock, DataDirLockedError, LockHolder, processStartTime } from './data-dir-lock';

describe('DataDirLock', () => {
  let dir: string;
  let lockPath: string;
  let ownRecord: LockHolder;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'data-dir-lock-'));
    lockPath = join(dir, 'billing.sqlite.lock');
    // What this process writes as a holder, to derive other holders from.
    const probe = await DataDirLock.acquire(join(dir, 'probe'), 'billing.sqlite');
    ownRecord = JSON.parse(await readFile(join(dir, 'probe', 'billing.sqlite.lock'), 'utf8'));
    await probe.releaseLock();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  async function startSleeper(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    children.push(child);
    await once(child, 'spawn');
    return child;
  }

  async function writeHolder(overrides: Partial<LockHolder>, ageMs = 0): Promise<void> {
    await writeFile(lockPath, JSON.stringify({ ...ownRecord, nonce: 'left-behind', ...overrides }));
    const then = new Date(Date.now() - ageMs);
    await utimes(lockPath, then, then);
  }

  const acquire = () => DataDirLock.acquire(dir, 'billing.sqlite');

  async function expectTakenOver(): Promise<void> {
    const lock = await acquire();
    const holder = JSON.parse(await readFile(lockPath, 'utf8')) as LockHolder;
    expect(holder).toMatchObject({ pid: process.pid, nonce: expect.not.stringMatching('left') });
    await lock.releaseLock();
  }

  it('refuses a live holder with its pid, and is free again once released', async () => {
    const first = await acquire();

    const error = await acquire().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toMatch(
      new RegExp(`in use by another process \\(pid ${process.pid} `),
    );

    await first.releaseLock();
    await expect(readdir(dir)).resolves.not.toContain('billing.sqlite.lock');
    await (await acquire()).releaseLock();
  });

  it('refuses a lock held by another live process on this machine', async () => {
    const holder = await startSleeper();
    await writeHolder({ pid: holder.pid!, startTime: processStartTime(holder.pid!) });

    await expect(acquire()).rejects.toThrow(`in use by another process (pid ${holder.pid} `);
  });

  it('takes over at once the lock of a process that died (kill -9)', async () => {
    const holder = await startSleeper();
    await writeHolder({ pid: holder.pid!, startTime: processStartTime(holder.pid!) });
    holder.kill('SIGKILL');
    await once(holder, 'exit');

    await expectTakenOver();
  });

  it('takes over a lock whose pid now belongs to a younger process', async () => {
    await writeHolder({ pid: process.pid, startTime: '1' });

    await expectTakenOver();
  });

  it('takes over a lock from an earlier boot, whatever its pid', async () => {
    await writeHolder({ bootId: 'an-earlier-boot' });

    await expectTakenOver();
  });

  it('judges a holder in another pid namespace by its heartbeat', async () => {
    await writeHolder({ pidNamespace: 'pid:[1]', pid: 1 }, 1_000);
    await expect(acquire()).rejects.toThrow(DataDirLockedError);

    await writeHolder({ pidNamespace: 'pid:[1]', pid: 1 }, 11_000);
    await expectTakenOver();
  });

  it('takes over an unreadable lock file left by a crash between create and write', async () => {
    await writeFile(lockPath, '');
    const then = new Date(Date.now() - 5_000);
    await utimes(lockPath, then, then);

    await expectTakenOver();
  });

  it('lets exactly one of several concurrent starts take over a dead lock', async () => {
    await writeHolder({ bootId: 'an-earlier-boot' });

    const results = await Promise.allSettled(Array.from({ length: 8 }, () => acquire()));

    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of results.filter((r) => r.status === 'rejected')) {
      expect(lost.reason).toBeInstanceOf(DataDirLockedError);
    }
    await (won[0] as PromiseFulfilledResult<DataDirLock>).value.releaseLock();
    expect(await readdir(dir)).toEqual(['probe']);
  });

  it('refuses writes after release', async () => {
    const lock = await acquire();
    lock.assertHeld();
    await lock.releaseLock();

    expect(() => lock.assertHeld()).toThrow(/released/);
  });
});
