import type { EventStore, StoredEvent } from '@app/event-store';
import { MongoServerError, type Db } from 'mongodb';
import {
  ACCOUNT_SCHEDULES_COLLECTION,
  MongoAccountSchedulesReadModel,
} from '../account-schedules/mongo-account-schedules-read-model';
import {
  BILLING_SCHEDULES_COLLECTION,
  MongoBillingScheduleReadModel,
} from '../billing-schedules/mongo-billing-schedule-read-model';
import {
  BILLING_PERIOD_CHUNKS_COLLECTION,
  BILLING_PERIOD_HEADS_COLLECTION,
  BILLING_PERIODS_CHECKPOINT,
  MongoBillingPeriodsReadModel,
} from '../billing-periods/mongo-billing-periods-read-model';
import { CHECKPOINTS_COLLECTION } from './mongo-projection-support';

export interface MongoRebuildOptions {
  db: Db;
  store: Pick<EventStore, 'readAll'>;
  batchSize?: number;
  onProgress?: (progress: { events: number; position: number }) => void;
}

/** A read model as the rebuild sees it: its live collections and checkpoint, and how to open a copy. */
interface RebuiltReadModel {
  /** Renamed in this order. */
  collections: readonly string[];
  checkpoint: string;
  open(db: Db, suffix: string): Promise<{ apply(events: readonly StoredEvent[]): Promise<void> }>;
}

const READ_MODELS: readonly RebuiltReadModel[] = [
  {
    collections: [BILLING_SCHEDULES_COLLECTION],
    checkpoint: BILLING_SCHEDULES_COLLECTION,
    open: (db, suffix) =>
      MongoBillingScheduleReadModel.open(db, {
        collection: `${BILLING_SCHEDULES_COLLECTION}${suffix}`,
      }),
  },
  {
    collections: [ACCOUNT_SCHEDULES_COLLECTION],
    checkpoint: ACCOUNT_SCHEDULES_COLLECTION,
    open: (db, suffix) =>
      MongoAccountSchedulesReadModel.open(db, {
        collection: `${ACCOUNT_SCHEDULES_COLLECTION}${suffix}`,
      }),
  },
  {
    // Chunks before heads: between the two renames a reader finds the old heads with the new
    // chunks, whose generations are the same where the live read model was right.
    collections: [BILLING_PERIOD_CHUNKS_COLLECTION, BILLING_PERIOD_HEADS_COLLECTION],
    checkpoint: BILLING_PERIODS_CHECKPOINT,
    open: (db, suffix) => MongoBillingPeriodsReadModel.open(db, { suffix }),
  },
];

const REBUILD_INFIX = '_rebuild_';
const RETIRED_INFIX = '_retired_';

/**
 * Rebuilds every MongoDB read model into fresh collections (`<live>_rebuild_<stamp>`, with their
 * indexes and checkpoints) while the live ones serve, then switches each with
 * `renameCollection(…, { dropTarget: true })`, atomic per collection: a reader sees the old
 * collection or the new one. MongoDB has no lock to hold across the store reads, so a command
 * committed between the last catch-up and the rename is applied afterwards: the checkpoint moves
 * with the collection and the live read models catch up from it once more (applying is
 * idempotent and version-guarded, so racing the projectors is safe). Running services and
 * projectors address collections by name and need no restart. Collections left by a rebuild
 * that died part-way are dropped at the next one.
 */
export async function rebuildMongoReadModels(
  options: MongoRebuildOptions,
): Promise<{ events: number; position: number }> {
  const { db, store } = options;
  const batchSize = options.batchSize ?? 5_000;
  await dropLeftovers(db);
  const suffix = `${REBUILD_INFIX}${Date.now().toString(36)}`;
  const fresh = await Promise.all(READ_MODELS.map((model) => model.open(db, suffix)));
  let position = 0;
  let events = 0;
  const catchUp = async (models: readonly { apply: RebuiltModelApply }[]) => {
    for (;;) {
      const batch = await store.readAll({ after: position, limit: batchSize });
      if (batch.length === 0) return;
      for (const model of models) await model.apply(batch);
      position = batch[batch.length - 1].position;
      events += batch.length;
      options.onProgress?.({ events, position });
    }
  };
  await catchUp(fresh);
  const checkpoints = db.collection<{ _id: string; position: number }>(CHECKPOINTS_COLLECTION);
  for (const model of READ_MODELS) {
    for (const name of model.collections) {
      const freshName = `${name}${suffix}`;
      // A read model without documents has no collection yet; the empty one replaces the live one.
      const built = await db.listCollections({ name: freshName }, { nameOnly: true }).toArray();
      if (built.length === 0) await db.createCollection(freshName);
      await renameOver(db, freshName, name, suffix.replace(REBUILD_INFIX, RETIRED_INFIX));
    }
    const reached =
      (await checkpoints.findOne({ _id: `${model.checkpoint}${suffix}` }))?.position ?? 0;
    await checkpoints.replaceOne(
      { _id: model.checkpoint },
      { position: reached },
      { upsert: true },
    );
    await checkpoints.deleteOne({ _id: `${model.checkpoint}${suffix}` });
  }
  const live = await Promise.all(READ_MODELS.map((model) => model.open(db, '')));
  await catchUp(live);
  return { events, position };
}

type RebuiltModelApply = (events: readonly StoredEvent[]) => Promise<void>;

/** Collections and checkpoints of rebuilds that died part-way, and retired collections. */
async function dropLeftovers(db: Db): Promise<void> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  const isLeftover = (name: string) =>
    READ_MODELS.some((model) =>
      [...model.collections, model.checkpoint].some(
        (live) =>
          name.startsWith(`${live}${REBUILD_INFIX}`) || name.startsWith(`${live}${RETIRED_INFIX}`),
      ),
    );
  for (const name of names.filter(isLeftover)) await db.dropCollection(name);
  const checkpoints = db.collection<{ _id: string }>(CHECKPOINTS_COLLECTION);
  const stale = (await checkpoints.find({}, { projection: { _id: 1 } }).toArray())
    .map((doc) => doc._id)
    .filter(isLeftover);
  if (stale.length > 0) await checkpoints.deleteMany({ _id: { $in: stale } });
}

/**
 * `renameCollection` with `dropTarget`, atomic on MongoDB. FerretDB does not implement
 * `dropTarget`; there the live collection is renamed away first, so for the moment between the
 * two renames a reader finds no collection (an empty read model) rather than a mix.
 */
async function renameOver(db: Db, from: string, to: string, retiredSuffix: string): Promise<void> {
  try {
    await db.renameCollection(from, to, { dropTarget: true });
  } catch (error) {
    if (!(error instanceof MongoServerError && /dropTarget/.test(error.message))) throw error;
    const live = await db.listCollections({ name: to }, { nameOnly: true }).toArray();
    const retired = `${to}${retiredSuffix}`;
    if (live.length > 0) await db.renameCollection(to, retired);
    await db.renameCollection(from, to);
    if (live.length > 0) await db.dropCollection(retired);
  }
}
