import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryLeaseStore } from './in-memory-lease-store';
import type { LeaseStore } from './lease-store.port';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite/sqlite-database';
import { SqliteLeaseStore } from './sqlite/sqlite-lease-store';

const dirs: string[] = [];
const databases: SqliteDatabase[] = [];

function sqliteDatabase(dir = mkdtempSync(join(tmpdir(), 'sqlite-lease-store-'))) {
  dirs.push(dir);
  const db = openSqliteDatabase(dir);
  databases.push(db);
  return { db, dir };
}

afterEach(() => {
  for (const db of databases.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['InMemoryLeaseStore', (clock?: () => number) => new InMemoryLeaseStore(clock)],
  ['SqliteLeaseStore', (clock?: () => number) => new SqliteLeaseStore(sqliteDatabase().db, clock)],
] as [string, (clock?: () => number) => LeaseStore][])('%s', (_name, create) => {
  it('grants a lease to one owner at a time until it expires or is released', async () => {
    let now = 1_000;
    const leases = create(() => now);
    expect(await leases.tryAcquire('job', 'a', 100)).toBe(true);
    expect(await leases.tryAcquire('job', 'b', 100)).toBe(false);
    expect(await leases.tryAcquire('job', 'a', 100)).toBe(true);
    now += 101;
    expect(await leases.tryAcquire('job', 'b', 100)).toBe(true);
    await leases.release('job', 'a');
    expect(await leases.tryAcquire('job', 'a', 100)).toBe(false);
    await leases.release('job', 'b');
    expect(await leases.tryAcquire('job', 'a', 100)).toBe(true);
  });

  it('arbitrates concurrent attempts: exactly one wins', async () => {
    const leases = create();
    const wins = await Promise.all(
      ['a', 'b', 'c', 'd'].map((o) => leases.tryAcquire('job', o, 1_000)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });
});

describe('SqliteLeaseStore', () => {
  it('arbitrates between two connections to the same file (a tool beside the service)', async () => {
    const { db, dir } = sqliteDatabase();
    const service = new SqliteLeaseStore(db);
    const tool = new SqliteLeaseStore(sqliteDatabase(dir).db);

    expect(await service.tryAcquire('outbox-relay', 'service', 60_000)).toBe(true);
    expect(await tool.tryAcquire('outbox-relay', 'tool', 60_000)).toBe(false);
    await service.release('outbox-relay', 'service');
    expect(await tool.tryAcquire('outbox-relay', 'tool', 60_000)).toBe(true);
  });
});
