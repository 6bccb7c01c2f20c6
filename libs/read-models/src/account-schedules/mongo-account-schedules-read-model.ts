import type { Collection, Db } from 'mongodb';
import {
  ACCOUNT_SCHEDULES_STREAM_TYPE,
  accountSchedulesStreamId,
  type AccountSchedulesState,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { decodeValue, encodeState } from '../mongo/mongo-document-codec';
import {
  MongoCheckpoint,
  applyByDocument,
  compareAndSet,
  findByIds,
} from '../mongo/mongo-projection-support';
import type { MongoReadModelOptions } from '../billing-schedules/mongo-billing-schedule-read-model';
import {
  foldAccountEvent,
  type AccountSchedulesReadModel,
} from './account-schedules-read-model.port';

export const ACCOUNT_SCHEDULES_COLLECTION = 'account_schedules';

/**
 * One document per account stream: the folded state (keys encoded, see mongo-document-codec;
 * licenses are keyed by client-chosen license ids) with `_id` = the stream id, which is
 * injective in (tenant, account). `get` looks documents up by `_id` only, so it needs no
 * further index.
 */
export interface AccountSchedulesDocument {
  _id: string;
  tenantId: string;
  accountId: string;
  version: number;
  [field: string]: unknown;
}

/** The production account-schedules read model, kept by the projector. */
export class MongoAccountSchedulesReadModel implements AccountSchedulesReadModel {
  private readonly checkpoints: MongoCheckpoint;

  private constructor(
    private readonly accounts: Collection<AccountSchedulesDocument>,
    db: Db,
  ) {
    this.checkpoints = new MongoCheckpoint(db, accounts.collectionName);
  }

  static async open(
    db: Db,
    options: MongoReadModelOptions = {},
  ): Promise<MongoAccountSchedulesReadModel> {
    return new MongoAccountSchedulesReadModel(
      db.collection<AccountSchedulesDocument>(options.collection ?? ACCOUNT_SCHEDULES_COLLECTION),
      db,
    );
  }

  async apply(events: readonly StoredEvent[]): Promise<void> {
    await applyByDocument<AccountSchedulesState>(events, this.checkpoints, {
      documentOf: (event) =>
        event.streamType === ACCOUNT_SCHEDULES_STREAM_TYPE ? event.streamId : null,
      load: (id) => this.load(id),
      loadMany: async (ids) =>
        new Map([...(await findByIds(this.accounts, ids))].map(([id, doc]) => [id, toState(doc)])),
      fold: foldAccountEvent,
      write: (id, next, current) =>
        compareAndSet(this.accounts, id, current?.version ?? null, {
          ...encodeState(next),
          tenantId: next.tenantId,
          accountId: next.accountId,
          version: next.version,
        }),
    });
  }

  async get(tenantId: string, accountId: string): Promise<AccountSchedulesState | null> {
    const state = await this.load(accountSchedulesStreamId(tenantId, accountId));
    return state && state.tenantId === tenantId && state.accountId === accountId ? state : null;
  }

  async checkpoint(): Promise<number> {
    return this.checkpoints.read();
  }

  private async load(id: string): Promise<AccountSchedulesState | null> {
    const doc = await this.accounts.findOne({ _id: id });
    return doc && toState(doc);
  }
}

function toState(doc: AccountSchedulesDocument): AccountSchedulesState {
  const { _id, ...state } = doc;
  return decodeValue(state) as AccountSchedulesState;
}
