import {
  Collection,
  Document,
  IndexDescription,
  MongoNetworkError,
  MongoServerError,
} from 'mongodb';

/**
 * Helpers shared by the MongoDB adapters. They must work on MongoDB proper and on the
 * MongoDB-protocol server used here, FerretDB 1.x on SQLite, whose relevant behaviour
 * (verified against v1.24.2, see the adapters' doc comments for how each one copes):
 *
 * - no multi-document transactions, no change streams;
 * - an update is "read the document in Go, apply the operators, write it back by _id" with no
 *   isolation: concurrent `$inc` loses increments, and a conditional update/findOneAndUpdate
 *   (compare-and-set) can match for several writers at once. Updates are therefore never used
 *   to arbitrate between writers here;
 * - a delete is "filter in Go, then DELETE by _id", so a filtered delete is not atomic either;
 * - an insert is one SQLite transaction and unique indexes (also compound ones) are real SQLite
 *   UNIQUE indexes: an insert that collides fails with code 11000. Inserting into a unique key
 *   is the one atomic arbitration primitive the adapters rely on;
 * - the duplicate-key error carries no keyPattern/keyValue and its message does not name the
 *   index, so which index collided has to be found out by reading back;
 * - every query is a full collection scan. Only a filter that is exactly `{_id: <string>}` is
 *   pushed down to SQLite, and even that scans: the `_id` index is built on another JSON
 *   expression than the one the query uses. Any other filter or sort is evaluated in Go,
 *   decoding every document (about 0.3-1 ms per event-commit document here). A limit is pushed
 *   down only without filter and sort. Secondary indexes are only used for the uniqueness
 *   they enforce; they are created for MongoDB proper;
 * - TTL indexes are not implemented (`expireAfterSeconds` fails with code 238);
 * - a unique index on a field inside an array (`events.id`) is accepted but not enforced;
 * - field names containing '.' or starting with '$' are rejected, also in nested documents;
 * - concurrent createIndexes on one collection crash FerretDB's handlers (runtime panic, the
 *   connection is dropped and the driver clears its pool), even when every index exists.
 */

export const DUPLICATE_KEY = 11000;
const NOT_IMPLEMENTED = 238;
const NAMESPACE_NOT_FOUND = 26;

export function isDuplicateKeyError(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY;
}

export function isNotImplementedError(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === NOT_IMPLEMENTED;
}

export interface NamedIndex extends IndexDescription {
  name: string;
}

/**
 * Creates the indexes that do not exist yet. Lists first and creates only what is missing, so a
 * restart does not call createIndexes at all; retries a dropped connection, which is how
 * FerretDB reports concurrent createIndexes calls (two instances starting at once).
 */
export async function ensureIndexes<T extends Document>(
  collection: Collection<T>,
  indexes: NamedIndex[],
  attempts = 6,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const existing = new Set((await listIndexNames(collection)).values());
      const missing = indexes.filter((index) => !existing.has(index.name));
      if (missing.length > 0) await collection.createIndexes(missing);
      return;
    } catch (err) {
      if (!(err instanceof MongoNetworkError) || attempt >= attempts) throw err;
      await sleep(25 * attempt + Math.random() * 50 * attempt);
    }
  }
}

async function listIndexNames<T extends Document>(collection: Collection<T>): Promise<string[]> {
  try {
    return (await collection.listIndexes().toArray()).map((index) => String(index.name));
  } catch (err) {
    if (err instanceof MongoServerError && err.code === NAMESPACE_NOT_FOUND) return [];
    throw err;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
