import { MongoServerError, type Db } from 'mongodb';
import type { EventStore, StoredEvent } from '@app/event-store';
import {
  ACCOUNT_SCHEDULES_COLLECTION,
  BILLING_SCHEDULES_COLLECTION,
  CHECKPOINTS_COLLECTION,
  MongoAccountSchedulesReadModel,
  MongoBillingScheduleReadModel,
} from '@app/read-models';

interface Projection {
  apply(events: readonly StoredEvent[]): Promise<void>;
}

/** Every MongoDB read model, by its live collection. */
const READ_MODELS: { collection: string; open(db: Db, collection: string): Promise<Projection> }[] =
  [
    {
      collection: BILLING_SCHEDULES_COLLECTION,
      open: (db, c) => MongoBillingScheduleReadModel.open(db, c),
    },
    {
      collection: ACCOUNT_SCHEDULES_COLLECTION,
      open: (db, c) => MongoAccountSchedulesReadModel.open(db, c),
    },
  ];

const CATCH_UP_BATCH = 1_000;

export interface SwitchReport {
  collection: string;
  documents: number;
  /** renameCollection with dropTarget (atomic), or two renames where the server lacks it. */
  how: 'atomic rename' | 'two renames';
}

/**
 * Rebuilds the MongoDB read models into fresh collections beside the live ones, which the
 * service keeps serving (and the projector keeps updating) meanwhile, then switches each by
 * renaming it over the live one. The service addresses collections by name, so running
 * instances read the new one at once. Events the live projection applied during the rebuild
 * are applied again to the new collection right after the switch (applying is idempotent per
 * stream version), so nothing committed before the switch is missing from it.
 */
export class MongoReadModelsRebuild {
  private readonly suffix = `__rebuild_${Date.now()}`;
  private fresh: Projection[] = [];

  constructor(private readonly db: Db) {}

  /** Opens empty collections (with their indexes) to rebuild into. */
  async start(): Promise<void> {
    this.fresh = [];
    for (const model of READ_MODELS) {
      const name = model.collection + this.suffix;
      await this.db
        .collection(name)
        .drop()
        .catch(() => undefined);
      this.fresh.push(await model.open(this.db, name));
    }
  }

  async apply(events: readonly StoredEvent[]): Promise<void> {
    for (const model of this.fresh) await model.apply(events);
  }

  /** Switches every fresh collection in, then applies what was committed after `position`. */
  async switchIn(store: EventStore, position: number): Promise<SwitchReport[]> {
    const reports: SwitchReport[] = [];
    for (const model of READ_MODELS) {
      const fresh = model.collection + this.suffix;
      const documents = await this.db.collection(fresh).countDocuments();
      reports.push({
        collection: model.collection,
        documents,
        how: await this.rename(fresh, model.collection),
      });
    }
    await this.db.collection<{ _id: string }>(CHECKPOINTS_COLLECTION).deleteMany({
      _id: { $in: READ_MODELS.map((model) => model.collection + this.suffix) },
    });
    const live = await Promise.all(
      READ_MODELS.map((model) => model.open(this.db, model.collection)),
    );
    for (let after = position; ;) {
      const events = await store.readAll({ after, limit: CATCH_UP_BATCH });
      if (events.length === 0) break;
      for (const model of live) await model.apply(events);
      after = events[events.length - 1].position;
    }
    return reports;
  }

  /** Drops the fresh collections (an interrupted or failed rebuild leaves the live ones as they were). */
  async abandon(): Promise<void> {
    for (const model of READ_MODELS) {
      await this.db
        .collection(model.collection + this.suffix)
        .drop()
        .catch(() => undefined);
    }
    await this.db
      .collection<{ _id: string }>(CHECKPOINTS_COLLECTION)
      .deleteMany({ _id: { $in: READ_MODELS.map((model) => model.collection + this.suffix) } })
      .catch(() => undefined);
  }

  private async rename(fresh: string, live: string): Promise<SwitchReport['how']> {
    try {
      await this.db.renameCollection(fresh, live, { dropTarget: true });
      return 'atomic rename';
    } catch (error) {
      if (
        !(error instanceof MongoServerError) ||
        !/not implemented|not supported/i.test(error.message)
      ) {
        throw error;
      }
    }
    // FerretDB has no dropTarget: move the live collection aside, the fresh one in, and drop
    // the old one. Between the two renames (milliseconds) the collection is absent and a
    // read finds nothing; it never fails.
    const replaced = `${live}__replaced${this.suffix}`;
    const exists =
      (await this.db.listCollections({ name: live }, { nameOnly: true }).toArray()).length > 0;
    if (exists) await this.db.renameCollection(live, replaced);
    await this.db.renameCollection(fresh, live);
    if (exists) await this.db.collection(replaced).drop();
    return 'two renames';
  }
}
