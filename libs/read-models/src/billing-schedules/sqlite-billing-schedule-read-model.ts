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
  ParsedStateCache,
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
  /**
   * The table to keep the read model in (the billing schedules' item rows go to
   * `<table>_items`); the rebuild builds into fresh ones.
   */
  table?: string;
}

/** The lists of a schedule kept as one row per element, so a command rewrites what it changed. */
const ITEM_LISTS = ['intervals', 'invoices'] as const;
type ItemList = (typeof ITEM_LISTS)[number];

/** About 100,000 objects (schedules, intervals, invoices) of parsed states. */
const CACHE_BUDGET = 100_000;

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
 * The embedded billing-schedule read model in the service's SQLite file. One row per schedule:
 * the columns the queries filter and sort on (instants as epoch milliseconds) and the folded
 * state as JSON text in `document`, without its intervals and invoices. Those are rows of
 * `<table>_items`, one per element, because a schedule may hold 15,000 invoices and closing a
 * period changes one of them: a command writes the elements whose object changed, not the
 * whole state. The checkpoint commits with the rows, so a restart resumes where the last batch
 * ended. Memory is bounded: only a cache of recently used parsed states, checked against the
 * row's version before use.
 */
export class SqliteBillingScheduleReadModel implements BillingScheduleReadModel {
  readonly table: string;
  private readonly checkpoints: SqliteCheckpoint;
  private readonly cache = new ParsedStateCache<BillingSchedule>(CACHE_BUDGET);
  private readonly schemaVersion: Statement<[], number>;
  private seenSchemaVersion = -1;
  private readonly versionStatement: Statement<[string], number>;
  private readonly loadStatement: Statement<[string], string>;
  private readonly itemsStatement: Statement<[string], ItemRow>;
  private readonly saveItemStatement: Statement<[string, string, number, string]>;
  private readonly trimItemsStatement: Statement<[string, string, number]>;
  private readonly saveStatement: Statement<[Record<string, unknown>]>;
  private readonly getVersionStatement: Statement<[string, string], number>;
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
    db.exec(`CREATE TABLE IF NOT EXISTS ${table}_items (
      schedule_id TEXT NOT NULL,
      list TEXT NOT NULL,
      seq INTEGER NOT NULL,
      document TEXT NOT NULL,
      PRIMARY KEY (schedule_id, list, seq)
    )`);
    ensureSqliteIndexes(db, table, BILLING_SCHEDULE_SQLITE_INDEXES);
    this.checkpoints = new SqliteCheckpoint(db, table);
    this.schemaVersion = db.prepare<[], number>('PRAGMA schema_version').pluck();
    this.versionStatement = db
      .prepare<[string], number>(`SELECT version FROM ${table} WHERE id = ?`)
      .pluck();
    this.loadStatement = db
      .prepare<[string], string>(`SELECT document FROM ${table} WHERE id = ?`)
      .pluck();
    this.itemsStatement = db.prepare<[string], ItemRow>(
      `SELECT list, document FROM ${table}_items WHERE schedule_id = ? ORDER BY list, seq`,
    );
    this.saveItemStatement = db.prepare(
      `INSERT INTO ${table}_items (schedule_id, list, seq, document) VALUES (?, ?, ?, ?)
       ON CONFLICT (schedule_id, list, seq) DO UPDATE SET document = excluded.document`,
    );
    this.trimItemsStatement = db.prepare(
      `DELETE FROM ${table}_items WHERE schedule_id = ? AND list = ? AND seq >= ?`,
    );
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
    this.getVersionStatement = db
      .prepare<[string, string], number>(
        `SELECT version FROM ${table} WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL`,
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
      load: (id) => this.load(id, this.versionStatement.get(id)),
      fold: (current, event) =>
        evolve(current, event as unknown as BillingScheduleEvent, event.version),
      save: (id, schedule, stored) => {
        for (const list of ITEM_LISTS) this.saveItems(id, list, schedule[list], stored?.[list]);
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
          // The lists stay in place (as null) so a loaded state keeps the fold's key order.
          document: JSON.stringify({ ...schedule, intervals: null, invoices: null }),
        });
        this.cache.set(id, schedule, cost(schedule));
      },
    });
  }

  async get(tenantId: string, scheduleId: string): Promise<BillingSchedule | null> {
    return this.load(scheduleId, this.getVersionStatement.get(scheduleId, tenantId));
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
    const rows =
      page.limit > 0 && total > page.offset
        ? (this.statement(
            `SELECT id, version ${where} ORDER BY created_at_ms DESC, id DESC LIMIT ? OFFSET ?`,
          ).all(...values, page.limit, Math.max(0, page.offset)) as IdVersion[])
        : [];
    return { data: rows.map((row) => this.load(row.id, row.version)!), total };
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

  /** The stored state at `version` (undefined: no such row), from the cache when it has it. */
  private load(id: string, version: number | undefined): BillingSchedule | null {
    if (version === undefined) return null;
    const schemaVersion = this.schemaVersion.get()!;
    if (schemaVersion !== this.seenSchemaVersion) {
      // A rebuild may have switched the tables under this connection.
      this.cache.clear();
      this.seenSchemaVersion = schemaVersion;
    }
    const cached = this.cache.get(id, version);
    if (cached !== undefined) return cached;
    const document = this.loadStatement.get(id);
    if (document === undefined) return null;
    const schedule = JSON.parse(document) as BillingSchedule;
    for (const list of ITEM_LISTS) schedule[list] = [];
    for (const item of this.itemsStatement.iterate(id)) {
      (schedule[item.list] as unknown[]).push(JSON.parse(item.document));
    }
    this.cache.set(id, schedule, cost(schedule));
    return schedule;
  }

  /** Writes the elements that are not the very objects stored before; drops the ones past the end. */
  private saveItems(
    id: string,
    list: ItemList,
    items: readonly unknown[],
    stored: readonly unknown[] | undefined,
  ): void {
    if (items === stored) return;
    items.forEach((item, seq) => {
      if (item !== stored?.[seq]) this.saveItemStatement.run(id, list, seq, JSON.stringify(item));
    });
    if (stored !== undefined && stored.length > items.length) {
      this.trimItemsStatement.run(id, list, items.length);
    }
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

interface IdVersion {
  id: string;
  version: number;
}

interface ItemRow {
  list: ItemList;
  document: string;
}

/** Roughly the objects a parsed state holds, the cache's measure. */
function cost(schedule: BillingSchedule): number {
  return 1 + schedule.intervals.length + schedule.invoices.length;
}
