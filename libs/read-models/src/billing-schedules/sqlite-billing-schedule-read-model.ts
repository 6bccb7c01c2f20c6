import {
  BILLING_SCHEDULE_STREAM_TYPE,
  evolve,
  type BillingSchedule,
  type BillingScheduleEvent,
} from '@app/domain';
import type { SqliteDatabase, StoredEvent } from '@app/event-store';
import type { Statement } from 'better-sqlite3';
import { epochMs } from '../epoch-ms';
import {
  SqliteCheckpoint,
  applyStreamEvents,
  ensureSqliteIndexes,
  tableName,
  type SqliteIndex,
} from '../sqlite/sqlite-projection-support';
import type {
  BillingScheduleFilter,
  BillingScheduleReadModel,
  DueQuery,
  DueSchedule,
  Page,
  PageOf,
} from './billing-schedule-read-model.port';

export const BILLING_SCHEDULES_TABLE = 'billing_schedules';

export interface SqliteReadModelOptions {
  /** The table to keep the read model in; the rebuild builds into a fresh one. */
  table?: string;
}

/**
 * Every query's index: equality columns, then the order, then the columns filtered on without
 * a table lookup. `deleted_at` trails the list indexes so one index serves both `includeDeleted`
 * and the default. `due` walks the active, undeleted schedules in id order (the port's keyset)
 * and tests the current period's end on the index entry itself: no sort, no row read.
 */
export const BILLING_SCHEDULE_SQLITE_INDEXES: readonly SqliteIndex[] = [
  { role: 'list', definition: '(tenant_id, created_at_ms, id, deleted_at)' },
  { role: 'list_by_status', definition: '(tenant_id, status, created_at_ms, id, deleted_at)' },
  { role: 'list_by_order', definition: '(tenant_id, order_id, created_at_ms, id, deleted_at)' },
  {
    role: 'list_by_subscription',
    definition: '(tenant_id, subscription_id, created_at_ms, id, deleted_at)',
  },
  { role: 'due', definition: '(status, deleted_at, id, current_period_end_ms, tenant_id)' },
  {
    role: 'due_by_tenant',
    definition: '(tenant_id, status, deleted_at, id, current_period_end_ms)',
  },
];

/**
 * The embedded billing-schedule read model: one row per schedule in the service's SQLite file,
 * the folded state as JSON text in `document` beside the columns the queries filter and sort
 * on (instants as epoch milliseconds). Nothing is held in memory; the checkpoint commits with
 * the rows, so a restart resumes where the last batch ended.
 */
export class SqliteBillingScheduleReadModel implements BillingScheduleReadModel {
  readonly table: string;
  private readonly checkpoints: SqliteCheckpoint;
  private readonly loadStatement: Statement<[string], string>;
  private readonly saveStatement: Statement<[Record<string, unknown>]>;
  private readonly getStatement: Statement<[string, string], string>;
  private readonly dueStatement: Statement<[number, string, number], DueRow>;
  private readonly dueForTenantStatement: Statement<[number, string, string, number], DueRow>;
  /** Prepared list and count statements, by their SQL (at most 32 filter shapes). */
  private readonly listStatements = new Map<string, Statement>();

  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteReadModelOptions = {},
  ) {
    const table = (this.table = tableName(options.table ?? BILLING_SCHEDULES_TABLE));
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      status TEXT NOT NULL,
      order_id TEXT,
      subscription_id TEXT,
      created_at_ms INTEGER,
      deleted_at TEXT,
      current_period_end_ms INTEGER,
      version INTEGER NOT NULL,
      document TEXT NOT NULL
    )`);
    ensureSqliteIndexes(db, table, BILLING_SCHEDULE_SQLITE_INDEXES);
    this.checkpoints = new SqliteCheckpoint(db, table);
    this.loadStatement = db
      .prepare<[string], string>(`SELECT document FROM ${table} WHERE id = ?`)
      .pluck();
    this.saveStatement = db.prepare(
      `INSERT INTO ${table} (id, tenant_id, status, order_id, subscription_id, created_at_ms,
         deleted_at, current_period_end_ms, version, document)
       VALUES (@id, @tenantId, @status, @orderId, @subscriptionId, @createdAtMs, @deletedAt,
         @currentPeriodEndMs, @version, @document)
       ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, status = excluded.status,
         order_id = excluded.order_id, subscription_id = excluded.subscription_id,
         created_at_ms = excluded.created_at_ms, deleted_at = excluded.deleted_at,
         current_period_end_ms = excluded.current_period_end_ms, version = excluded.version,
         document = excluded.document`,
    );
    this.getStatement = db
      .prepare<[string, string], string>(
        `SELECT document FROM ${table} WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL`,
      )
      .pluck();
    const due = (tenant: string) =>
      `SELECT id, tenant_id AS merchantId FROM ${table}
       WHERE status = 'active' AND deleted_at IS NULL AND current_period_end_ms <= ? AND id > ?${tenant}
       ORDER BY id LIMIT ?`;
    this.dueStatement = db.prepare<[number, string, number], DueRow>(due(''));
    this.dueForTenantStatement = db.prepare<[number, string, string, number], DueRow>(
      due(' AND tenant_id = ?'),
    );
  }

  async apply(events: readonly StoredEvent[]): Promise<void> {
    applyStreamEvents<BillingSchedule>(this.db, events, this.checkpoints, {
      accepts: (event) => event.streamType === BILLING_SCHEDULE_STREAM_TYPE,
      key: (event) => (event.data as { scheduleId: string }).scheduleId,
      load: (id) => parseSchedule(this.loadStatement.get(id)),
      fold: (current, event) =>
        evolve(current, event as unknown as BillingScheduleEvent, event.version),
      save: (id, schedule) =>
        this.saveStatement.run({
          id,
          tenantId: schedule.merchantId,
          status: schedule.status,
          orderId: schedule.orderId,
          subscriptionId: schedule.subscriptionId,
          createdAtMs: epochMs(schedule.createdAt),
          deletedAt: schedule.deletedAt,
          currentPeriodEndMs: epochMs(schedule.currentPeriodEnd),
          version: schedule.version,
          document: JSON.stringify(schedule),
        }),
    });
  }

  async get(tenantId: string, scheduleId: string): Promise<BillingSchedule | null> {
    return parseSchedule(this.getStatement.get(scheduleId, tenantId));
  }

  async list(
    tenantId: string,
    filter: BillingScheduleFilter,
    page: Page,
  ): Promise<PageOf<BillingSchedule>> {
    const conditions = ['tenant_id = ?'];
    const values: unknown[] = [tenantId];
    if (filter.includeDeleted !== true) conditions.push('deleted_at IS NULL');
    for (const [column, value] of [
      ['status', filter.status],
      ['order_id', filter.orderId],
      ['subscription_id', filter.subscriptionId],
    ] as const) {
      if (value === undefined) continue;
      conditions.push(`${column} = ?`);
      values.push(value);
    }
    const where = `FROM ${this.table} WHERE ${conditions.join(' AND ')}`;
    const total = this.statement(`SELECT count(*) ${where}`)
      .pluck()
      .get(...values) as number;
    const documents =
      page.limit > 0 && total > page.offset
        ? (this.statement(
            `SELECT document ${where} ORDER BY created_at_ms DESC, id DESC LIMIT ? OFFSET ?`,
          )
            .pluck()
            .all(...values, page.limit, Math.max(0, page.offset)) as string[])
        : [];
    return { data: documents.map((document) => JSON.parse(document) as BillingSchedule), total };
  }

  async dueForPeriodUpdate({ tenantId, asOf, afterId, limit }: DueQuery): Promise<DueSchedule[]> {
    const cutoff = Date.parse(asOf);
    if (!Number.isFinite(cutoff) || limit <= 0) return [];
    // Every id sorts after '', so the first page is the same keyset query as the others.
    return tenantId === undefined
      ? this.dueStatement.all(cutoff, afterId ?? '', limit)
      : this.dueForTenantStatement.all(cutoff, afterId ?? '', tenantId, limit);
  }

  async checkpoint(): Promise<number> {
    return this.checkpoints.read();
  }

  /** The query plan of the due query, for tests and operators (`EXPLAIN QUERY PLAN`). */
  explainDueQuery(tenantId?: string): string[] {
    const sql = (tenantId === undefined ? this.dueStatement : this.dueForTenantStatement).source;
    const args = tenantId === undefined ? [0, '', 1] : [0, '', tenantId, 1];
    return this.db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...args)
      .map((row) => row.detail);
  }

  private statement(sql: string): Statement {
    let statement = this.listStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.listStatements.set(sql, statement);
    }
    return statement;
  }
}

interface DueRow {
  id: string;
  merchantId: string;
}

function parseSchedule(document: string | undefined): BillingSchedule | null {
  return document === undefined ? null : (JSON.parse(document) as BillingSchedule);
}
