import type { LeaseStore } from '../lease-store.port';
import { ensureEventTables } from './event-tables';
import type { SqliteDatabase } from './sqlite-database';

/**
 * Leases in the `leases` table, with the in-memory store's rules: taken or renewed when free,
 * expired or already ours. The API holds DATA_DIR alone, but an operator's tool opening the
 * same file (without the lock) is arbitrated too, since SQLite serialises the writes.
 */
export class SqliteLeaseStore implements LeaseStore {
  private readonly acquire;
  private readonly sql;

  constructor(
    db: SqliteDatabase,
    private readonly clock: () => number = Date.now,
  ) {
    ensureEventTables(db);
    this.sql = {
      get: db.prepare<[string], { owner: string; expires_ms: number }>(
        'SELECT owner, expires_ms FROM leases WHERE name = ?',
      ),
      put: db.prepare<[string, string, number]>(
        `INSERT INTO leases (name, owner, expires_ms) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_ms = excluded.expires_ms`,
      ),
      release: db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND owner = ?'),
    };
    this.acquire = db.transaction((name: string, owner: string, ttlMs: number): boolean => {
      const now = this.clock();
      const held = this.sql.get.get(name);
      if (held && held.owner !== owner && held.expires_ms > now) return false;
      this.sql.put.run(name, owner, now + ttlMs);
      return true;
    });
  }

  async tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.acquire.immediate(name, owner, ttlMs);
  }

  async release(name: string, owner: string): Promise<void> {
    this.sql.release.run(name, owner);
  }
}
