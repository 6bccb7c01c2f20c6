import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { describeEventStoreContract } from './event-store.contract';
import { AppendRequest, EventStore } from './event-store.port';
import { EVENT_LOG_FILE, FileEventStore } from './file-event-store';
import { DataDirLockedError } from './data-dir-lock';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'file-event-store-'));
}

describeEventStoreContract('FileEventStore', async () => {
  const dir = await tempDir();
  let store: EventStore = await FileEventStore.open(dir);
  return {
    store,
    reopen: async () => {
      await store.close();
      store = await FileEventStore.open(dir);
      return store;
    },
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('FileEventStore', () => {
  let root: string;
  let dir: string;
  const open: FileEventStore[] = [];

  async function openStore(options?: Parameters<typeof FileEventStore.open>[1]) {
    const store = await FileEventStore.open(dir, options);
    open.push(store);
    return store;
  }

  beforeEach(async () => {
    root = await tempDir();
    dir = root;
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
    await rm(root, { recursive: true, force: true });
  });

  function request(streamId: string, expectedVersion: number, count = 1): AppendRequest {
    return {
      streamId,
      streamType: 'test_stream',
      tenantId: 'tenant-1',
      expectedVersion,
      events: Array.from({ length: count }, () => ({
        id: uuidv7(),
        type: 'TestEvent',
        schemaVersion: 1,
        occurredAt: '2025-01-15T10:00:00.000Z',
        data: { n: 1 },
        metadata: { correlationId: 'c', causationId: 'c' },
      })),
    };
  }

  async function logLines(): Promise<string[]> {
    return (await readFile(join(dir, EVENT_LOG_FILE), 'utf8')).split('\n').filter(Boolean);
  }

  it('creates a missing data dir and writes one line per append', async () => {
    dir = join(root, 'nested', 'data');
    const store = await openStore({ clock: () => new Date('2025-02-01T00:00:00Z') });

    await store.append(request('s-1', 0, 3));
    await store.append(request('s-2', 0, 1));

    const lines = (await logLines()).map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      streamId: 's-1',
      streamType: 'test_stream',
      tenantId: 'tenant-1',
    });
    expect(typeof lines[0].commitId).toBe('string');
    expect(lines[0].events).toHaveLength(3);
    expect(lines[0].events[2]).toMatchObject({
      version: 3,
      position: 3,
      recordedAt: '2025-02-01T00:00:00.000Z',
    });
  });

  it('drops a torn last line on reopen, logs it, and keeps earlier commits', async () => {
    const first = await openStore();
    await first.append(request('s-1', 0, 2));
    await first.append(request('s-2', 0, 1));
    await first.close();
    const intact = (await stat(join(dir, EVENT_LOG_FILE))).size;
    await appendFile(join(dir, EVENT_LOG_FILE), '{"commitId":"0190","streamId":"s-1","ev');

    const logger = jest.fn();
    const store = await openStore({ logger });

    expect(logger).toHaveBeenCalledWith(expect.stringContaining('torn last line'));
    expect((await stat(join(dir, EVENT_LOG_FILE))).size).toBe(intact);
    expect((await store.readAll()).map((e) => [e.streamId, e.version, e.position])).toEqual([
      ['s-1', 1, 1],
      ['s-1', 2, 2],
      ['s-2', 1, 3],
    ]);
    const next = await store.append(request('s-1', 2));
    expect(next.events[0]).toMatchObject({ version: 3, position: 4 });
    expect(await logLines()).toHaveLength(3);
  });

  it('drops a newline-terminated garbage last line too', async () => {
    const first = await openStore();
    await first.append(request('s-1', 0));
    await first.close();
    await appendFile(join(dir, EVENT_LOG_FILE), '\0\0\0\0\n');

    const store = await openStore();

    expect(await store.readAll()).toHaveLength(1);
  });

  it('refuses to open a log with a bad line in the middle', async () => {
    const first = await openStore();
    await first.append(request('s-1', 0));
    await first.close();
    await appendFile(join(dir, EVENT_LOG_FILE), 'garbage\n');
    await appendFile(join(dir, EVENT_LOG_FILE), (await logLines())[0] + '\n');

    await expect(FileEventStore.open(dir)).rejects.toThrow(/unreadable line/);
    // the failed open released its lock
    await expect(openStore().then(() => undefined)).rejects.toThrow(/unreadable line/);
  });

  it('fails clearly when the data dir is already open, and opens again once closed', async () => {
    const first = await openStore();

    const error = await FileEventStore.open(dir).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toContain(dir);

    await first.close();
    const second = await openStore();
    expect(await second.readAll()).toEqual([]);
  });

  it('rejects use after close, and close is idempotent', async () => {
    const store = await openStore();
    await store.close();
    await store.close();

    await expect(store.append(request('s-1', 0))).rejects.toThrow(/closed/);
    await expect(store.readAll()).rejects.toThrow(/closed/);
  });

  it('finishes appends in flight before close resolves', async () => {
    const store = await openStore();
    const appends = Array.from({ length: 5 }, (_, i) => store.append(request(`s-${i}`, 0)));

    await store.close();

    await Promise.all(appends);
    expect(await logLines()).toHaveLength(5);
  });
});
