/**
 * Named, time-bounded leases kept in the event store's backend, so that at most one instance
 * runs a singleton job (the billing-period task, the outbox relay) at a time.
 */
export interface LeaseStore {
  /** Takes or renews the lease for `ttlMs` when it is free, expired or already ours. */
  tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if we hold it. */
  release(name: string, owner: string): Promise<void>;
}

export const LEASE_STORE = Symbol('LEASE_STORE');
