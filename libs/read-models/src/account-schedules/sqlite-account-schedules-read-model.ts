import {
  ACCOUNT_SCHEDULES_STREAM_TYPE,
  accountSchedulesStreamId,
  type AccountSchedulesState,
} from '@app/domain';
import type { SqliteDatabase, StoredEvent } from '@app/event-store';
import type { Statement } from 'better-sqlite3';
import type { SqliteReadModelOptions } from '../billing-schedules/sqlite-billing-schedule-read-model';
import {
  SqliteCheckpoint,
  applyStreamEvents,
  tableName,
} from '../sqlite/sqlite-projection-support';
import {
  foldAccountEvent,
  type AccountSchedulesReadModel,
} from './account-schedules-read-model.port';

export const ACCOUNT_SCHEDULES_TABLE = 'account_schedules';

/**
 * The embedded account-schedules read model: one row per account stream in the service's SQLite
 * file, keyed by the stream id (injective in tenant and account), the folded state as JSON text.
 */
export class SqliteAccountSchedulesReadModel implements AccountSchedulesReadModel {
  readonly table: string;
  private readonly checkpoints: SqliteCheckpoint;
  private readonly loadStatement: Statement<[string], string>;
  private readonly saveStatement: Statement<[Record<string, unknown>]>;

  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteReadModelOptions = {},
  ) {
    const table = (this.table = tableName(options.table ?? ACCOUNT_SCHEDULES_TABLE));
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      stream_id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      account_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      document TEXT NOT NULL
    )`);
    this.checkpoints = new SqliteCheckpoint(db, table);
    this.loadStatement = db
      .prepare<[string], string>(`SELECT document FROM ${table} WHERE stream_id = ?`)
      .pluck();
    this.saveStatement = db.prepare(
      `INSERT INTO ${table} (stream_id, tenant_id, account_id, version, document)
       VALUES (@streamId, @tenantId, @accountId, @version, @document)
       ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, document = excluded.document`,
    );
  }

  async apply(events: readonly StoredEvent[]): Promise<void> {
    applyStreamEvents<AccountSchedulesState>(this.db, events, this.checkpoints, {
      accepts: (event) => event.streamType === ACCOUNT_SCHEDULES_STREAM_TYPE,
      key: (event) => event.streamId,
      load: (streamId) => this.load(streamId),
      fold: foldAccountEvent,
      save: (streamId, state) =>
        this.saveStatement.run({
          streamId,
          tenantId: state.tenantId,
          accountId: state.accountId,
          version: state.version,
          document: JSON.stringify(state),
        }),
    });
  }

  async get(tenantId: string, accountId: string): Promise<AccountSchedulesState | null> {
    const state = this.load(accountSchedulesStreamId(tenantId, accountId));
    return state && state.tenantId === tenantId && state.accountId === accountId ? state : null;
  }

  async checkpoint(): Promise<number> {
    return this.checkpoints.read();
  }

  private load(streamId: string): AccountSchedulesState | null {
    const document = this.loadStatement.get(streamId);
    return document === undefined ? null : (JSON.parse(document) as AccountSchedulesState);
  }
}
