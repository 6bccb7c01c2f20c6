import type { LeaseStore } from './lease-store.port';

/**
 * Leases for the embedded mode. The embedded store's DATA_DIR is locked to one process, so
 * leases only need to arbitrate between runners inside that process.
 */
export class InMemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { owner: string; expiresAt: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  async tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    const held = this.leases.get(name);
    if (held && held.owner !== owner && held.expiresAt > now) return false;
    this.leases.set(name, { owner, expiresAt: now + ttlMs });
    return true;
  }

  async release(name: string, owner: string): Promise<void> {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name);
  }
}
