import { ensureIndexes, type NamedIndex } from '@app/event-store';
import type { Collection, Db, Filter } from 'mongodb';
import {
  BILLING_SCHEDULE_STREAM_TYPE,
  evolve,
  type BillingSchedule,
  type BillingScheduleEvent,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { decodeValue, encodeState } from '../mongo/mongo-document-codec';
import {
  MongoCheckpoint,
  applyByDocument,
  compareAndSet,
  findByIds,
  epochMs,
} from '../mongo/mongo-projection-support';
import type {
  BillingScheduleFilter,
  BillingScheduleReadModel,
  DueQuery,
  DueSchedule,
  Page,
  PageOf,
} from './billing-schedule-read-model.port';

export const BILLING_SCHEDULES_COLLECTION = 'billing_schedules';

export interface MongoReadModelOptions {
  /**
   * The collection to keep the read model in (its checkpoint is kept under the same name); the
   * rebuild builds into a fresh one.
   */
  collection?: string;
}

/**
 * One document per schedule: the folded state (keys encoded, see mongo-document-codec) with
 * `_id` = schedule id and, for range queries and sorting, the instants as epoch milliseconds
 * (canonical instants may carry milliseconds, so their strings do not sort as instants).
 * `merchantId`, `status`, `orderId`, `subscriptionId`, `deletedAt` and `version` are state
 * fields and are queried as they are.
 */
export interface BillingScheduleDocument {
  _id: string;
  merchantId: string;
  status: string;
  orderId: string | null;
  subscriptionId: string | null;
  deletedAt: string | null;
  version: number;
  createdAtMs: number | null;
  currentPeriodEndMs: number | null;
  [field: string]: unknown;
}

const HELPER_FIELDS = ['_id', 'createdAtMs', 'currentPeriodEndMs'] as const;

/** The queries of list and dueForPeriodUpdate, each with an index: equality, sort, range. */
export const BILLING_SCHEDULE_INDEXES: NamedIndex[] = [
  { name: 'list', key: { merchantId: 1, deletedAt: 1, createdAtMs: -1, _id: -1 } },
  {
    name: 'list_by_status',
    key: { merchantId: 1, status: 1, deletedAt: 1, createdAtMs: -1, _id: -1 },
  },
  {
    name: 'list_by_order',
    key: { merchantId: 1, orderId: 1, deletedAt: 1, createdAtMs: -1, _id: -1 },
  },
  {
    name: 'list_by_subscription',
    key: { merchantId: 1, subscriptionId: 1, deletedAt: 1, createdAtMs: -1, _id: -1 },
  },
  { name: 'due', key: { status: 1, deletedAt: 1, _id: 1, currentPeriodEndMs: 1 } },
  {
    name: 'due_by_tenant',
    key: { merchantId: 1, status: 1, deletedAt: 1, _id: 1, currentPeriodEndMs: 1 },
  },
];

/** The production billing-schedule read model, kept by the projector. */
export class MongoBillingScheduleReadModel implements BillingScheduleReadModel {
  private readonly checkpoints: MongoCheckpoint;

  private constructor(
    private readonly schedules: Collection<BillingScheduleDocument>,
    db: Db,
  ) {
    this.checkpoints = new MongoCheckpoint(db, schedules.collectionName);
  }

  static async open(
    db: Db,
    options: MongoReadModelOptions = {},
  ): Promise<MongoBillingScheduleReadModel> {
    const schedules = db.collection<BillingScheduleDocument>(
      options.collection ?? BILLING_SCHEDULES_COLLECTION,
    );
    // Lists first: FerretDB crashes re-creating these compound indexes on an existing collection.
    await ensureIndexes(schedules, BILLING_SCHEDULE_INDEXES);
    return new MongoBillingScheduleReadModel(schedules, db);
  }

  async apply(events: readonly StoredEvent[]): Promise<void> {
    await applyByDocument<BillingSchedule>(events, this.checkpoints, {
      documentOf: (event) =>
        event.streamType === BILLING_SCHEDULE_STREAM_TYPE
          ? (event.data as { scheduleId: string }).scheduleId
          : null,
      load: (id) => this.load(id),
      loadMany: async (ids) =>
        new Map(
          [...(await findByIds(this.schedules, ids))].map(([id, doc]) => [id, toSchedule(doc)]),
        ),
      fold: (current, event) =>
        evolve(current, event as unknown as BillingScheduleEvent, event.version),
      write: (id, next, current) => this.write(id, next, current),
    });
  }

  async get(tenantId: string, scheduleId: string): Promise<BillingSchedule | null> {
    const doc = await this.schedules.findOne({
      _id: scheduleId,
      merchantId: tenantId,
      deletedAt: null,
    });
    return doc && toSchedule(doc);
  }

  async list(
    tenantId: string,
    filter: BillingScheduleFilter,
    page: Page,
  ): Promise<PageOf<BillingSchedule>> {
    const query: Filter<BillingScheduleDocument> = { merchantId: tenantId };
    if (filter.includeDeleted !== true) query.deletedAt = null;
    if (filter.status !== undefined) query.status = filter.status;
    if (filter.orderId !== undefined) query.orderId = filter.orderId;
    if (filter.subscriptionId !== undefined) query.subscriptionId = filter.subscriptionId;
    const [docs, total] = await Promise.all([
      page.limit > 0
        ? this.schedules
            .find(query)
            .sort({ createdAtMs: -1, _id: -1 })
            .skip(Math.max(0, page.offset))
            .limit(page.limit)
            .toArray()
        : [],
      this.schedules.countDocuments(query),
    ]);
    return { data: docs.map(toSchedule), total };
  }

  async dueForPeriodUpdate({ tenantId, asOf, afterId, limit }: DueQuery): Promise<DueSchedule[]> {
    const cutoff = Date.parse(asOf);
    if (!Number.isFinite(cutoff) || limit <= 0) return [];
    const query: Filter<BillingScheduleDocument> = {
      status: 'active',
      deletedAt: null,
      currentPeriodEndMs: { $lte: cutoff },
    };
    if (tenantId !== undefined) query.merchantId = tenantId;
    if (afterId !== undefined) query._id = { $gt: afterId };
    const docs = await this.schedules
      .find(query, { projection: { _id: 1, merchantId: 1 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => ({ id: doc._id, merchantId: doc.merchantId }));
  }

  async checkpoint(): Promise<number> {
    return this.checkpoints.read();
  }

  private async load(id: string): Promise<BillingSchedule | null> {
    const doc = await this.schedules.findOne({ _id: id });
    return doc && toSchedule(doc);
  }

  /** Compare-and-set on the version the state was folded from; false when another writer won. */
  private async write(
    id: string,
    next: BillingSchedule,
    current: BillingSchedule | null,
  ): Promise<boolean> {
    return compareAndSet(this.schedules, id, current?.version ?? null, toDocument(next));
  }
}

/** The stored document without `_id` (the filter supplies it, and replaceOne keeps it). */
function toDocument(schedule: BillingSchedule): Omit<BillingScheduleDocument, '_id'> {
  return {
    ...encodeState(schedule),
    merchantId: schedule.merchantId,
    status: schedule.status,
    orderId: schedule.orderId,
    subscriptionId: schedule.subscriptionId,
    deletedAt: schedule.deletedAt,
    version: schedule.version,
    createdAtMs: epochMs(schedule.createdAt),
    currentPeriodEndMs: epochMs(schedule.currentPeriodEnd),
  };
}

function toSchedule(doc: BillingScheduleDocument): BillingSchedule {
  const state: Record<string, unknown> = { ...doc };
  for (const field of HELPER_FIELDS) delete state[field];
  return decodeValue(state) as BillingSchedule;
}
