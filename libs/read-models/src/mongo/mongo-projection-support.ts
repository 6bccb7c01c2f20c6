import {
  MongoBulkWriteError,
  MongoServerError,
  type Collection,
  type Db,
  type Filter,
  type OptionalUnlessRequiredId,
  type WithId,
  type WithoutId,
} from 'mongodb';
import type { StoredEvent } from '@app/event-store';
import { ProjectionGapError } from '../projection-gap-error';

export { epochMs } from '../epoch-ms';

export const CHECKPOINTS_COLLECTION = 'projection_checkpoints';

/** One document per read model in `projection_checkpoints`: the highest position applied. */
export class MongoCheckpoint {
  private readonly collection: Collection<{ _id: string; position: number }>;

  constructor(
    db: Db,
    private readonly name: string,
  ) {
    this.collection = db.collection(CHECKPOINTS_COLLECTION);
  }

  async read(): Promise<number> {
    return (await this.collection.findOne({ _id: this.name }))?.position ?? 0;
  }

  /** Never moves back: `$max`, so batches applied out of position order keep the highest. */
  async advance(position: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.collection.updateOne(
          { _id: this.name },
          { $max: { position } },
          { upsert: true },
        );
        return;
      } catch (error) {
        // Two first-ever upserts raced; the loser now finds the document and updates it.
        if (!isDuplicateKeyError(error) || attempt >= 3) throw error;
      }
    }
  }
}

export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/** An unordered bulk write whose every failed write was a duplicate key. */
export function onlyDuplicateKeys(error: unknown): boolean {
  if (!(error instanceof MongoBulkWriteError)) return isDuplicateKeyError(error);
  const failed = [error.writeErrors].flat();
  return failed.length > 0 && failed.every((write) => write.code === 11000);
}

/**
 * Stores `document` under `id` only if the stored one is still at `expectedVersion` (absent when
 * null): a new document is inserted, an existing one replaced under a version filter. False
 * when another writer got there first. Inserting rather than upserting is also what makes a
 * rebuild into fresh collections fast on FerretDB, where an insert costs a fraction of an update.
 */
export async function compareAndSet<D extends { _id: string }>(
  collection: Collection<D>,
  id: string,
  expectedVersion: number | null,
  document: Omit<D, '_id'>,
): Promise<boolean> {
  if (expectedVersion === null) {
    try {
      await collection.insertOne({ ...document, _id: id } as OptionalUnlessRequiredId<D>);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
  const result = await collection.replaceOne(
    { _id: id, version: expectedVersion } as unknown as Filter<D>,
    document as WithoutId<D>,
  );
  return result.matchedCount > 0;
}

/** Ids per `$in` query: bounds the query and its answer. */
const IDS_PER_QUERY = 1_000;

/** The documents of those of `ids` that exist, by id. */
export async function findByIds<D extends { _id: string }>(
  collection: Collection<D>,
  ids: readonly string[],
): Promise<Map<string, WithId<D>>> {
  const found = new Map<string, WithId<D>>();
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const filter = { _id: { $in: ids.slice(i, i + IDS_PER_QUERY) } } as unknown as Filter<D>;
    for (const doc of await collection.find(filter).toArray()) found.set(doc._id, doc);
  }
  return found;
}

/** How one read model finds, reads, folds and conditionally writes its documents. */
export interface DocumentProjection<S extends { version: number }> {
  /** The document an event folds into; null for events this read model ignores. */
  documentOf(event: StoredEvent): string | null;
  /** The stored state, or null when there is no document yet. */
  load(id: string): Promise<S | null>;
  /** The stored states of those of `ids` that have a document, in one query. */
  loadMany(ids: readonly string[]): Promise<Map<string, S>>;
  /** The state after the event; null when the event leaves nothing to store. */
  fold(current: S | null, event: StoredEvent): S | null;
  /**
   * Writes `next` only if the document is still at `current` (absent when current is null).
   * False when another projector wrote first.
   */
  write(id: string, next: S, current: S | null): Promise<boolean>;
}

const MAX_LOST_RACES = 50;
/** Documents read or written at once: enough to fill the driver's pipeline, few enough to bound memory. */
const IO_CONCURRENCY = 16;

/**
 * Applies a batch of events, in order, writing each document once: the batch is folded in
 * memory from each document's stored state (read in one query) and every changed document is
 * written with one compare-and-set, so a batch of N events on S documents costs one read and S
 * writes, not N of each.
 *
 * Version-guarded per stream, exactly as applying one event at a time: an event at or below
 * the stored version is a redelivery and changes nothing; one past the next version is a gap.
 * At a gap the events before it are stored and checkpointed and the gap's stream is read once
 * more (another projector may have filled it meanwhile): then the rest of the batch goes on,
 * otherwise ProjectionGapError, with nothing past the gap written. A write that loses a race
 * reads the document again and folds its events once more (those at or below the version
 * found are skipped). The checkpoint, the highest position applied, moves only after the
 * writes it covers.
 */
export async function applyByDocument<S extends { version: number }>(
  events: readonly StoredEvent[],
  checkpoint: Pick<MongoCheckpoint, 'advance'>,
  projection: DocumentProjection<S>,
): Promise<void> {
  let remaining = events;
  for (;;) {
    const ids = new Set<string>();
    for (const event of remaining) {
      const id = projection.documentOf(event);
      if (id !== null) ids.add(id);
    }
    const found = await projection.loadMany([...ids]);
    const stored = new Map<string, S | null>([...ids].map((id) => [id, found.get(id) ?? null]));

    const folded = new Map(stored);
    const applied = new Map<string, StoredEvent[]>();
    let gapAt = -1;
    let reached = 0;
    for (let i = 0; i < remaining.length; i++) {
      const event = remaining[i];
      const id = projection.documentOf(event);
      if (id !== null) {
        const current = folded.get(id) ?? null;
        const version = current?.version ?? 0;
        if (event.version > version + 1) {
          gapAt = i;
          break;
        }
        const next = event.version === version + 1 ? projection.fold(current, event) : null;
        if (next !== null) {
          folded.set(id, next);
          applied.set(id, [...(applied.get(id) ?? []), event]);
        }
      }
      reached = Math.max(reached, event.position);
    }

    await inParallel([...applied], ([id, documentEvents]) =>
      writeFolded(id, stored.get(id) ?? null, folded.get(id)!, documentEvents, projection),
    );
    if (reached > 0) await checkpoint.advance(reached);
    if (gapAt < 0) return;

    const gap = remaining[gapAt];
    const now = await projection.load(projection.documentOf(gap)!);
    const version = now?.version ?? 0;
    if (gap.version > version + 1) {
      throw new ProjectionGapError(gap.streamId, version + 1, gap.version);
    }
    remaining = remaining.slice(gapAt);
  }
}

/** Writes the folded state with compare-and-set; after a lost race, folds again from what is stored. */
async function writeFolded<S extends { version: number }>(
  id: string,
  current: S | null,
  next: S,
  events: readonly StoredEvent[],
  projection: DocumentProjection<S>,
): Promise<void> {
  for (let lostRaces = 0; ;) {
    if (await projection.write(id, next, current)) return;
    if (++lostRaces > MAX_LOST_RACES) {
      throw new Error(`stream ${events[0].streamId}: gave up after ${MAX_LOST_RACES} lost writes`);
    }
    current = await projection.load(id);
    let refolded = current;
    for (const event of events) {
      const version = refolded?.version ?? 0;
      if (event.version <= version) continue;
      // Versions only grow, so what another projector stored is a prefix of this stream.
      if (event.version > version + 1) {
        throw new ProjectionGapError(event.streamId, version + 1, event.version);
      }
      refolded = projection.fold(refolded, event) ?? refolded;
    }
    if (refolded === null || refolded === current) return;
    next = refolded;
  }
}

/** Runs `task` for every item, at most IO_CONCURRENCY at a time; the first failure is thrown after all settle. */
async function inParallel<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += IO_CONCURRENCY) {
    const outcomes = await Promise.allSettled(items.slice(i, i + IO_CONCURRENCY).map(task));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
