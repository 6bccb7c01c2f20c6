import type { EventStore } from '@app/event-store';
import { MongoServerError, type Db } from 'mongodb';
import {
  ACCOUNT_SCHEDULES_COLLECTION,
  MongoAccountSchedulesReadModel,
} from '../account-schedules/mongo-account-schedules-read-model';
import {
  BILLING_SCHEDULES_COLLECTION,
  MongoBillingScheduleReadModel,
} from '../billing-schedules/mongo-billing-schedule-read-model';
import { CHECKPOINTS_COLLECTION } from './mongo-projection-support';

export interface MongoRebuildOptions {
  db: Db;
  store: Pick<EventStore, 'readAll'>;
  batchSize?: number;
  onProgress?: (progress: { events: number; position: number }) => void;
}

const LIVE_COLLECTIONS = [
  { name: BILLING_SCHEDULES_COLLECTION, open: MongoBillingScheduleReadModel.open },
  { name: ACCOUNT_SCHEDULES_COLLECTION, open: MongoAccountSchedulesReadModel.open },
] as const;

/**
 * Rebuilds every MongoDB read model into fresh collections (`<live>_rebuild_<stamp>`, with their
 * indexes and checkpoints) while the live ones serve, then switches each with
 * `renameCollection(…, { dropTarget: true })`, atomic per collection: a reader sees the old
 * collection or the new one. MongoDB has no lock to hold across the store reads, so a command
 * committed between the last catch-up and the rename is applied afterwards: the checkpoint moves
 * with the collection and the live read models catch up from it once more (applying is
 * idempotent and version-guarded, so racing the projectors is safe). Running services and
 * projectors address collections by name and need no restart.
 */
export async function rebuildMongoReadModels(
  options: MongoRebuildOptions,
): Promise<{ events: number; position: number }> {
  const { db, store } = options;
  const batchSize = options.batchSize ?? 5_000;
  const stamp = Date.now().toString(36);
  const fresh = await Promise.all(
    LIVE_COLLECTIONS.map(({ name, open }) => open(db, { collection: `${name}_rebuild_${stamp}` })),
  );
  let position = 0;
  let events = 0;
  const catchUp = async (models: readonly { apply: MongoBillingScheduleReadModel['apply'] }[]) => {
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
  for (const { name } of LIVE_COLLECTIONS) {
    const freshName = `${name}_rebuild_${stamp}`;
    // A read model without documents has no collection yet; the empty one replaces the live one.
    const built = await db.listCollections({ name: freshName }, { nameOnly: true }).toArray();
    if (built.length === 0) await db.createCollection(freshName);
    await renameOver(db, freshName, name, stamp);
    const reached = (await checkpoints.findOne({ _id: freshName }))?.position ?? 0;
    await checkpoints.replaceOne({ _id: name }, { position: reached }, { upsert: true });
    await checkpoints.deleteOne({ _id: freshName });
  }
  const live = await Promise.all(
    LIVE_COLLECTIONS.map(({ name, open }) => open(db, { collection: name })),
  );
  await catchUp(live);
  return { events, position };
}

/**
 * `renameCollection` with `dropTarget`, atomic on MongoDB. FerretDB does not implement
 * `dropTarget`; there the live collection is renamed away first, so for the moment between the
 * two renames a reader finds no collection (an empty read model) rather than a mix.
 */
async function renameOver(db: Db, from: string, to: string, stamp: string): Promise<void> {
  try {
    await db.renameCollection(from, to, { dropTarget: true });
  } catch (error) {
    if (!(error instanceof MongoServerError && /dropTarget/.test(error.message))) throw error;
    const live = await db.listCollections({ name: to }, { nameOnly: true }).toArray();
    const retired = `${to}_retired_${stamp}`;
    if (live.length > 0) await db.renameCollection(to, retired);
    await db.renameCollection(from, to);
    if (live.length > 0) await db.dropCollection(retired);
  }
}
