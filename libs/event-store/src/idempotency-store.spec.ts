import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileIdempotencyStore, IDEMPOTENCY_LOG_FILE } from './file-idempotency-store';
import { describeIdempotencyStoreContract } from './idempotency-store.contract';
import { IdempotencyStore } from './idempotency-store.port';
import { InMemoryIdempotencyStore } from './in-memory-idempotency-store';
import { DataDirLockedError } from './data-dir-lock';

describeIdempotencyStoreContract('InMemoryIdempotencyStore', async (options) => {
  const store = new InMemoryIdempotencyStore(options);
  return { store, cleanup: () => store.close() };
});

describeIdempotencyStoreContract('FileIdempotencyStore', async (options) => {
  const dir = await mkdtemp(join(tmpdir(), 'file-idempotency-store-'));
  let store: IdempotencyStore = await FileIdempotencyStore.open(dir, options);
  return {
    store,
    reopen: async () => {
      await store.close();
      store = await FileIdempotencyStore.open(dir, options);
      return store;
    },
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('FileIdempotencyStore', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-idempotency-store-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const record = (key: string) => ({
    tenantId: 't',
    key,
    requestHash: 'h',
    statusCode: 201,
    body: { ok: true },
  });

  async function lines(): Promise<string[]> {
    return (await readFile(join(dir, IDEMPOTENCY_LOG_FILE), 'utf8')).split('\n').filter(Boolean);
  }

  it('rewrites the file without expired records on open', async () => {
    let now = new Date('2025-01-15T10:00:00Z');
    const options = { ttlMs: 1000, clock: () => now };
    const first = await FileIdempotencyStore.open(dir, options);
    await first.put(record('a'));
    now = new Date(now.getTime() + 600);
    await first.put(record('b'));
    await first.close();
    expect(await lines()).toHaveLength(2);

    now = new Date(now.getTime() + 600);
    const second = await FileIdempotencyStore.open(dir, options);
    await second.close();

    expect((await lines()).map((line) => JSON.parse(line).key)).toEqual(['b']);
  });

  it('drops a torn last line on open', async () => {
    const first = await FileIdempotencyStore.open(dir);
    await first.put(record('a'));
    await first.close();
    await appendFile(join(dir, IDEMPOTENCY_LOG_FILE), '{"tenantId":"t","ke');

    const logger = jest.fn();
    const store = await FileIdempotencyStore.open(dir, { logger });
    await store.put(record('b'));
    await store.close();

    expect(logger).toHaveBeenCalledWith(expect.stringContaining('torn last line'));
    expect((await lines()).map((line) => JSON.parse(line).key)).toEqual(['a', 'b']);
  });

  it('fails clearly when the data dir is already open', async () => {
    const first = await FileIdempotencyStore.open(dir);

    await expect(FileIdempotencyStore.open(dir)).rejects.toBeInstanceOf(DataDirLockedError);

    await first.close();
  });
});
