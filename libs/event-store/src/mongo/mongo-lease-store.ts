import { Collection, Db } from 'mongodb';
import type { LeaseStore } from '../lease-store.port';
import { ensureIndexes, isDuplicateKeyError } from './mongo-support';

export const LEASES_COLLECTION = 'leases';

export interface MongoLeaseStoreOptions {
  /** Milliseconds since the epoch (as InMemoryLeaseStore). Instances' clocks must roughly agree. */
  clock?: () => number;
}

/** One term of a lease: who holds it until when. Written once, never updated. */
interface LeaseTermDocument {
  /** `${name}#${term}` */
  _id: string;
  name: string;
  term: number;
  /** null for a term that only records a release. */
  owner: string | null;
  expiresAt: Date;
  expiresAtMs: number;
}

/** Old terms are pruned every PRUNE_EVERY terms, keeping the last KEEP_TERMS. */
const PRUNE_EVERY = 16;
const KEEP_TERMS = 8;

/**
 * Leases in `leases`, as a sequence of immutable terms per lease name. The holder is the owner
 * of the highest term, until that term's expiresAt.
 *
 * Why not one document per lease updated with `findOneAndUpdate({_id, $or: [{owner},
 * {expiresAt: {$lte: now}}]}, {$set: ...})`: FerretDB 1.x evaluates that filter in Go and writes
 * back by _id without isolation, so several contenders can all "match" the same expired lease.
 * Measured: with 8 contenders for an expired lease, more than one took it in 16 of 20 rounds. A
 * filtered delete (release, or delete-then-insert) has the same flaw. Only a unique insert is
 * atomic there, so every change of hands is one:
 *
 *  - tryAcquire reads the highest term k. If another owner holds it and it has not expired:
 *    false. Otherwise (free, expired, released or ours) insert term k+1 for us, which also
 *    renews. Of contenders for k+1 exactly one insert succeeds. A loser reads term k+1 back
 *    and gets true only if it is its own (concurrent renewals by the same owner).
 *  - release inserts term k+1 with owner null when we hold term k. If someone took the lease
 *    over in the meantime, that insert fails and nothing is released.
 *  - Old terms are pruned. A writer that stalled for a long time could then insert a term number
 *    that was pruned, below the current one, so tryAcquire checks after its insert that its term
 *    is the highest and returns false otherwise.
 */
export class MongoLeaseStore implements LeaseStore {
  private constructor(
    private readonly leases: Collection<LeaseTermDocument>,
    private readonly clock: () => number,
  ) {}

  static async open(db: Db, options: MongoLeaseStoreOptions = {}): Promise<MongoLeaseStore> {
    const leases = db.collection<LeaseTermDocument>(LEASES_COLLECTION);
    await ensureIndexes(leases, [{ key: { name: 1, term: -1 }, name: 'lease_terms' }]);
    return new MongoLeaseStore(leases, options.clock ?? Date.now);
  }

  async tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    if (!name || !owner) throw new Error('a lease needs a name and an owner');
    if (!(Number.isFinite(ttlMs) && ttlMs > 0)) {
      throw new Error(`lease ttlMs must be a positive number, got ${ttlMs}`);
    }
    const now = this.clock();
    const latest = await this.latestTerm(name);
    if (latest && latest.owner !== owner && latest.expiresAtMs > now) return false;

    const term = this.termDocument(name, (latest?.term ?? 0) + 1, owner, now + ttlMs);
    try {
      await this.leases.insertOne(term);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const winner = await this.leases.findOne({ _id: term._id });
      return winner?.owner === owner && winner.expiresAtMs > now;
    }
    const highest = await this.latestTerm(name);
    if (highest?._id !== term._id) return false;
    if (term.term % PRUNE_EVERY === 0) await this.prune(name, term.term);
    return true;
  }

  async release(name: string, owner: string): Promise<void> {
    const now = this.clock();
    const latest = await this.latestTerm(name);
    if (!latest || latest.owner !== owner || latest.expiresAtMs <= now) return;
    try {
      await this.leases.insertOne(this.termDocument(name, latest.term + 1, null, now));
    } catch (err) {
      // Taken over in the meantime: it is no longer ours to release.
      if (!isDuplicateKeyError(err)) throw err;
    }
  }

  private latestTerm(name: string): Promise<LeaseTermDocument | null> {
    return this.leases.findOne({ name }, { sort: { term: -1 } });
  }

  private termDocument(
    name: string,
    term: number,
    owner: string | null,
    expiresAtMs: number,
  ): LeaseTermDocument {
    return {
      _id: `${name}#${term}`,
      name,
      term,
      owner,
      expiresAt: new Date(expiresAtMs),
      expiresAtMs,
    };
  }

  private async prune(name: string, term: number): Promise<void> {
    try {
      await this.leases.deleteMany({ name, term: { $lt: term - KEEP_TERMS } });
    } catch {
      // Housekeeping only: the next prune will catch up.
    }
  }
}
