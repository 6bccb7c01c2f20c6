import { ensureIndexes, type NamedIndex } from '@app/event-store';
import type { Collection, Db } from 'mongodb';
import type { BillingPeriod } from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { decodeValue, encodeValue } from '../mongo/mongo-document-codec';
import {
  MongoCheckpoint,
  applyByDocument,
  compareAndSet,
  findByIds,
  onlyDuplicateKeys,
} from '../mongo/mongo-projection-support';
import type { Page } from '../billing-schedules/billing-schedule-read-model.port';
import type { BillingPeriodsReadModel, PeriodsPage } from './billing-periods-read-model.port';
import {
  computeAllPeriods,
  isBillingScheduleEvent,
  nextHead,
  scheduleIdOf,
  type PeriodInputs,
  type PeriodsHead,
} from './schedule-periods';

export const BILLING_PERIOD_HEADS_COLLECTION = 'billing_period_heads';
export const BILLING_PERIOD_CHUNKS_COLLECTION = 'billing_period_chunks';
export const BILLING_PERIODS_CHECKPOINT = 'billing_periods';

/**
 * One document per schedule: what its periods are computed from (client keys encoded, see
 * mongo-document-codec), its version, and which generation of chunks holds its periods.
 */
interface HeadDocument {
  _id: string;
  tenantId: string;
  version: number;
  deleted: boolean;
  inputs: unknown;
  /** The version whose event last changed the periods; null = not materialised. */
  generation: number | null;
  total: number;
}

/** A head while a batch is folded: the version of the batch's last event that changed the periods. */
interface HeadState extends HeadDocument {
  periodsChangedAt?: number;
}

/**
 * A run of consecutive periods of one generation. A page of at most 100 periods reads one or
 * two chunks; chunks are cut by lines too, so none comes near the document size limit.
 */
interface ChunkDocument {
  _id: string;
  tenantId: string;
  scheduleId: string;
  generation: number;
  first: number;
  last: number;
  periods: BillingPeriod[];
}

const CHUNK_PERIODS = 100;
const CHUNK_LINES = 2_000;

export const BILLING_PERIOD_CHUNK_INDEXES: NamedIndex[] = [
  { name: 'page', key: { tenantId: 1, scheduleId: 1, generation: 1, first: 1 } },
];

/**
 * The production periods read model. Periods are written as a new generation of chunks before
 * the head is switched to it (compare-and-set on the version), so a reader always finds a
 * complete generation; the previous generation is removed after the switch.
 */
export class MongoBillingPeriodsReadModel implements BillingPeriodsReadModel {
  private readonly checkpoints: MongoCheckpoint;

  private constructor(
    private readonly heads: Collection<HeadDocument>,
    private readonly chunks: Collection<ChunkDocument>,
    db: Db,
    checkpoint: string,
  ) {
    this.checkpoints = new MongoCheckpoint(db, checkpoint);
  }

  /**
   * `suffix` names a second copy of the read model (collections and checkpoint), as a rebuild
   * builds one beside the live copy.
   */
  static async open(
    db: Db,
    options: { suffix?: string } = {},
  ): Promise<MongoBillingPeriodsReadModel> {
    const suffix = options.suffix ?? '';
    const heads = db.collection<HeadDocument>(`${BILLING_PERIOD_HEADS_COLLECTION}${suffix}`);
    const chunks = db.collection<ChunkDocument>(`${BILLING_PERIOD_CHUNKS_COLLECTION}${suffix}`);
    await ensureIndexes(chunks, BILLING_PERIOD_CHUNK_INDEXES);
    return new MongoBillingPeriodsReadModel(
      heads,
      chunks,
      db,
      `${BILLING_PERIODS_CHECKPOINT}${suffix}`,
    );
  }

  async apply(events: readonly StoredEvent[]): Promise<void> {
    await applyByDocument<HeadState>(events, this.checkpoints, {
      documentOf: (event) => (isBillingScheduleEvent(event) ? scheduleIdOf(event) : null),
      load: (id) => this.heads.findOne({ _id: id }),
      loadMany: (ids) => findByIds(this.heads, ids),
      fold: (current, event) => {
        const { head, periodsChanged } = nextHead(current && toHead(current), event);
        if (head === null) return null;
        return {
          ...toDocument(head),
          generation: current?.generation ?? null,
          total: current?.total ?? 0,
          periodsChangedAt: periodsChanged ? event.version : current?.periodsChangedAt,
        };
      },
      write: (id, next, current) => this.write(id, next, current),
    });
  }

  async page(tenantId: string, scheduleId: string, page: Page): Promise<PeriodsPage | null> {
    // A writer removes a generation right after switching away from it: a reader that read
    // the old head just before finds no chunks, and reads the new head.
    for (let attempt = 0; attempt < 3; attempt++) {
      const head = await this.heads.findOne({ _id: scheduleId, tenantId, deleted: false });
      if (!head) return null;
      if (head.generation === null) {
        return { version: head.version, materialised: false, data: [], total: 0 };
      }
      const end = Math.min(page.offset + page.limit, head.total);
      if (page.offset >= end) {
        return { version: head.version, materialised: true, data: [], total: head.total };
      }
      const chunks = await this.chunks
        .find({
          tenantId,
          scheduleId,
          generation: head.generation,
          first: { $lt: end },
          last: { $gte: page.offset },
        })
        .sort({ first: 1 })
        .toArray();
      const data = chunks
        .flatMap((chunk) => chunk.periods)
        .filter((period) => period.index >= page.offset && period.index < end);
      if (data.length === end - page.offset) {
        return { version: head.version, materialised: true, data, total: head.total };
      }
    }
    throw new Error(`billing periods of ${scheduleId} kept changing while being read`);
  }

  async checkpoint(): Promise<number> {
    return this.checkpoints.read();
  }

  /**
   * Stores the folded head. When its batch changed the periods, they are computed once, from
   * the folded inputs, and written as a new generation (named by the version of the last event
   * that changed them) before the head is switched to it; older generations go after the switch.
   */
  private async write(id: string, next: HeadState, current: HeadState | null): Promise<boolean> {
    const { periodsChangedAt, ...head } = next;
    if (periodsChangedAt !== undefined) {
      const periods = await computeAllPeriods(toHead(head).inputs);
      head.generation = periods && periodsChangedAt;
      head.total = periods?.length ?? 0;
      if (periods) await this.writeGeneration(toHead(head), periodsChangedAt, periods);
    }
    const { _id, ...document } = head;
    if (!(await compareAndSet(this.heads, id, current?.version ?? null, document))) return false;
    // A schedule seen for the first time has no older generation to remove (leftovers of a
    // writer that died before its switch go with the schedule's next generation).
    if (periodsChangedAt !== undefined && current !== null) {
      await this.chunks.deleteMany({
        tenantId: head.tenantId,
        scheduleId: id,
        generation: { $lt: periodsChangedAt },
      });
    }
    return true;
  }

  /** Idempotent: chunk ids are derived from schedule, generation and first index. */
  private async writeGeneration(
    head: PeriodsHead,
    generation: number,
    periods: BillingPeriod[],
  ): Promise<void> {
    const chunks: ChunkDocument[] = [];
    for (let first = 0; first < periods.length;) {
      let last = first;
      let lines = periods[first].lines.length;
      while (
        last + 1 < periods.length &&
        last + 1 - first < CHUNK_PERIODS &&
        lines + periods[last + 1].lines.length <= CHUNK_LINES
      ) {
        last += 1;
        lines += periods[last].lines.length;
      }
      chunks.push({
        _id: `${head.scheduleId}:${generation}:${first}`,
        tenantId: head.tenantId,
        scheduleId: head.scheduleId,
        generation,
        first,
        last,
        periods: periods.slice(first, last + 1),
      });
      first = last + 1;
    }
    if (chunks.length === 0) return;
    try {
      await this.chunks.insertMany(chunks, { ordered: false });
    } catch (error) {
      // Chunks another projector (or a writer that died) stored already: equal content, as
      // the content of a generation follows from its id.
      if (!onlyDuplicateKeys(error)) throw error;
    }
  }
}

function toDocument(head: PeriodsHead): Omit<HeadDocument, 'generation' | 'total'> {
  return {
    _id: head.scheduleId,
    tenantId: head.tenantId,
    version: head.version,
    deleted: head.deleted,
    inputs: encodeValue(head.inputs),
  };
}

function toHead(doc: HeadDocument): PeriodsHead {
  return {
    scheduleId: doc._id,
    tenantId: doc.tenantId,
    version: doc.version,
    deleted: doc.deleted,
    inputs: decodeValue(doc.inputs) as PeriodInputs,
  };
}
