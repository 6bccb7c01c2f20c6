import { ensureIndexes, type NamedIndex } from '@app/event-store';
import type { Collection, Db } from 'mongodb';
import type { BillingPeriod } from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { ProjectionGapError } from '../projection-gap-error';
import { decodeValue, encodeValue } from '../mongo/mongo-document-codec';
import {
  MongoCheckpoint,
  applyInOrder,
  isDuplicateKeyError,
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
const CHECKPOINT_ID = 'billing_periods';

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
const MAX_LOST_RACES = 50;

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
  ) {
    this.checkpoints = new MongoCheckpoint(db, CHECKPOINT_ID);
  }

  static async open(db: Db): Promise<MongoBillingPeriodsReadModel> {
    const heads = db.collection<HeadDocument>(BILLING_PERIOD_HEADS_COLLECTION);
    const chunks = db.collection<ChunkDocument>(BILLING_PERIOD_CHUNKS_COLLECTION);
    await ensureIndexes(chunks, BILLING_PERIOD_CHUNK_INDEXES);
    return new MongoBillingPeriodsReadModel(heads, chunks, db);
  }

  async apply(events: readonly StoredEvent[]): Promise<void> {
    const seen = new Map<string, HeadDocument | null>();
    await applyInOrder(events, this.checkpoints, async (event) => {
      if (!isBillingScheduleEvent(event)) return;
      const id = scheduleIdOf(event);
      seen.set(id, await this.applyOne(event, id, seen.get(id)));
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

  /** Version-guarded like projectStreamEvent; returns the head now stored. */
  private async applyOne(
    event: StoredEvent,
    id: string,
    known: HeadDocument | null | undefined,
  ): Promise<HeadDocument | null> {
    let fresh = known === undefined;
    let current = known === undefined ? await this.heads.findOne({ _id: id }) : known;
    for (let lostRaces = 0; ;) {
      const version = current?.version ?? 0;
      if (event.version <= version) return current;
      if (event.version > version + 1) {
        if (!fresh) {
          current = await this.heads.findOne({ _id: id });
          fresh = true;
          continue;
        }
        throw new ProjectionGapError(event.streamId, version + 1, event.version);
      }
      const { head, periodsChanged } = nextHead(current && toHead(current), event);
      if (head === null) return current;
      let next: HeadDocument = {
        ...toDocument(head),
        generation: current?.generation ?? null,
        total: current?.total ?? 0,
      };
      if (periodsChanged) {
        const periods = await computeAllPeriods(head.inputs);
        next = { ...next, generation: periods && event.version, total: periods?.length ?? 0 };
        if (periods) await this.writeGeneration(head, event.version, periods);
      }
      if (await this.switchHead(next, current)) {
        if (periodsChanged) {
          await this.chunks.deleteMany({
            tenantId: head.tenantId,
            scheduleId: id,
            generation: { $lt: event.version },
          });
        }
        return next;
      }
      if (++lostRaces > MAX_LOST_RACES) {
        throw new Error(`stream ${event.streamId}: gave up after ${MAX_LOST_RACES} lost writes`);
      }
      current = await this.heads.findOne({ _id: id });
      fresh = true;
    }
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
    for (let attempt = 1; ; attempt++) {
      try {
        await this.chunks.bulkWrite(
          chunks.map((chunk) => ({
            replaceOne: { filter: { _id: chunk._id }, replacement: chunk, upsert: true },
          })),
          { ordered: false },
        );
        return;
      } catch (error) {
        // Two projectors upserted the same chunk at once; it is there now, with equal content.
        if (!isDuplicateKeyError(error) || attempt >= 3) throw error;
      }
    }
  }

  /** Compare-and-set on the version; false when another projector wrote first. */
  private async switchHead(next: HeadDocument, current: HeadDocument | null): Promise<boolean> {
    const { _id, ...replacement } = next;
    try {
      const result = await this.heads.replaceOne(
        { _id, version: current?.version ?? 0 },
        replacement,
        { upsert: current === null },
      );
      return result.matchedCount + result.upsertedCount > 0;
    } catch (error) {
      if (current === null && isDuplicateKeyError(error)) return false;
      throw error;
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
