import { MongoServerError, type Collection, type Db } from 'mongodb';
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

/** How one read model reads, folds and conditionally writes the document of one stream. */
export interface StreamDocumentIo<S extends { version: number }> {
  /** The stored state, or null when the stream has no document yet. */
  load(): Promise<S | null>;
  /** The state after the event; null when the event leaves nothing to store. */
  fold(current: S | null): S | null;
  /**
   * Writes `next` only if the document is still at `current` (absent when current is null).
   * False when another projector wrote first.
   */
  write(next: S, current: S | null): Promise<boolean>;
}

const MAX_LOST_RACES = 50;

/**
 * Applies one event to its stream's document, guarded by the stream version: an event at or
 * below the stored version is a redelivery and changes nothing; one past the next version is a
 * gap (ProjectionGapError, nothing written). `known` is the state this batch last saw for the
 * stream (undefined = not seen yet); it saves a read, and is re-read whenever it could be stale.
 * Returns the state now stored.
 */
export async function projectStreamEvent<S extends { version: number }>(
  event: StoredEvent,
  known: S | null | undefined,
  io: StreamDocumentIo<S>,
): Promise<S | null> {
  let fresh = known === undefined;
  let current = known === undefined ? await io.load() : known;
  for (let lostRaces = 0; ;) {
    const version = current?.version ?? 0;
    if (event.version <= version) return current;
    if (event.version > version + 1) {
      if (!fresh) {
        // Another projector may have applied the missing events meanwhile.
        current = await io.load();
        fresh = true;
        continue;
      }
      throw new ProjectionGapError(event.streamId, version + 1, event.version);
    }
    const next = io.fold(current);
    if (next === null) return current;
    if (await io.write(next, current)) return next;
    // Lost a race: another projector changed the document; look again (it may have applied
    // this very event).
    if (++lostRaces > MAX_LOST_RACES) {
      throw new Error(`stream ${event.streamId}: gave up after ${MAX_LOST_RACES} lost writes`);
    }
    current = await io.load();
    fresh = true;
  }
}

/**
 * Runs `step` for each event in order and then records the highest position reached, also when
 * a step fails part-way (the events before it are applied). The step's error wins over a
 * failure to record the checkpoint: a checkpoint left behind only means a longer replay.
 */
export async function applyInOrder(
  events: readonly StoredEvent[],
  checkpoint: MongoCheckpoint,
  step: (event: StoredEvent) => Promise<void>,
): Promise<void> {
  let reached = 0;
  let failed = false;
  let failure: unknown;
  try {
    for (const event of events) {
      await step(event);
      reached = Math.max(reached, event.position);
    }
  } catch (error) {
    failed = true;
    failure = error;
  }
  if (reached > 0) {
    try {
      await checkpoint.advance(reached);
    } catch (error) {
      if (!failed) throw error;
    }
  }
  if (failed) throw failure;
}
