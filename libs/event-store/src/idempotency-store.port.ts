/**
 * The idempotency-key port: the first response to (tenantId, key) is kept for a TTL so a
 * retried request gets the same answer. Adapters: in-memory, embedded SQLite, MongoDB.
 */

export interface IdempotencyRecord<B = unknown> {
  tenantId: string;
  key: string;
  /** Hash of the request, to tell a retry from a different request reusing the key. */
  requestHash: string;
  statusCode: number;
  /** Response body; stored as JSON. */
  body: B;
  /** ISO timestamp; the TTL counts from here. */
  createdAt: string;
}

/** A record to put; `createdAt` defaults to the store's clock. */
export type NewIdempotencyRecord<B = unknown> = Omit<IdempotencyRecord<B>, 'createdAt'> & {
  createdAt?: string;
};

export interface IdempotencyStore {
  /** The live record for (tenantId, key), or null (also when it expired). */
  get(tenantId: string, key: string): Promise<IdempotencyRecord | null>;
  /** First write wins: returns the record now stored for (tenantId, key), which may be an earlier one. */
  put(record: NewIdempotencyRecord): Promise<IdempotencyRecord>;
  close(): Promise<void>;
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

export const DEFAULT_IDEMPOTENCY_TTL_MS = 48 * 60 * 60 * 1000;

export interface IdempotencyStoreOptions {
  /** Records older than this are ignored (default 48 h). */
  ttlMs?: number;
  clock?: () => Date;
}
