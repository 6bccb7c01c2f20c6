import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { BillingPeriod } from '@app/domain';
import type { SqliteDatabase, StoredEvent } from '@app/event-store';
import { ProjectionGapError } from '../projection-gap-error';
import { withoutSync } from '../sqlite/sqlite-projection-support';
import type { Page } from '../billing-schedules/billing-schedule-read-model.port';
import type { BillingPeriodsReadModel, PeriodsPage } from './billing-periods-read-model.port';
import {
  computeAllPeriods,
  isBillingScheduleEvent,
  nextHead,
  scheduleIdOf,
  type PeriodsHead,
} from './schedule-periods';

/**
 * One row per schedule (what its periods are computed from, and which generation of period
 * rows is current) and one row per period, keyed by (tenant, schedule, generation, index):
 * a page is one range scan of the primary key. A rowid table, not WITHOUT ROWID: a period's
 * JSON (~1 KB and more) stays in its page, where an index-organised row over ~1 KB spills into
 * overflow pages (about 3 KB on disk per period).
 */
/** The live table of period rows; its heads and checkpoint are `<table>_heads`, `<table>_checkpoint`. */
export const BILLING_PERIODS_TABLE = 'billing_periods';

const schema = (t: string) => `
CREATE TABLE IF NOT EXISTS ${t}_heads (
  schedule_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  inputs TEXT NOT NULL,
  generation INTEGER,
  total INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS ${t} (
  tenant_id TEXT NOT NULL,
  schedule_id TEXT NOT NULL,
  generation INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  period TEXT NOT NULL,
  PRIMARY KEY (tenant_id, schedule_id, generation, idx)
) STRICT;
CREATE TABLE IF NOT EXISTS ${t}_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  position INTEGER NOT NULL
) STRICT;
`;

interface HeadRow {
  schedule_id: string;
  tenant_id: string;
  version: number;
  deleted: number;
  inputs: string;
  generation: number | null;
  total: number;
}

interface Update {
  head: PeriodsHead;
  /** Set when the batch changed the periods: the new generation and its periods (null = not materialised). */
  periods?: { generation: number; list: BillingPeriod[] | null };
}

/**
 * Period rows written per transaction; the rest go with the head. Like the other read models it
 * commits without a sync (withoutSync): it is derived from the log, its checkpoint commits with it.
 */
const ROWS_PER_TRANSACTION = 1_000;

/**
 * The embedded periods read model, in the service's SQLite file. Like the in-memory one, a
 * batch is folded into heads first and each schedule's periods are computed once; the new
 * generation's rows are written before the head switches to it in one transaction (with the
 * old generation's removal and the checkpoint), so a reader always sees a complete generation.
 */
export class SqliteBillingPeriodsReadModel implements BillingPeriodsReadModel {
  private readonly statements;

  /** `table` names the period rows (default the live table); a rebuild passes fresh names. */
  constructor(
    private readonly db: SqliteDatabase,
    { table = BILLING_PERIODS_TABLE }: { table?: string } = {},
  ) {
    const t = table;
    db.exec(schema(t));
    this.statements = {
      head: db.prepare<[string], HeadRow>(`SELECT * FROM ${t}_heads WHERE schedule_id = ?`),
      upsertHead: db.prepare(
        `INSERT INTO ${t}_heads (schedule_id, tenant_id, version, deleted, inputs, generation, total)
         VALUES (@schedule_id, @tenant_id, @version, @deleted, @inputs, @generation, @total)
         ON CONFLICT (schedule_id) DO UPDATE SET
           tenant_id = excluded.tenant_id, version = excluded.version, deleted = excluded.deleted,
           inputs = excluded.inputs, generation = excluded.generation, total = excluded.total
         WHERE excluded.version > ${t}_heads.version`,
      ),
      insertPeriod: db.prepare(
        `INSERT OR REPLACE INTO ${t} (tenant_id, schedule_id, generation, idx, period) VALUES (?, ?, ?, ?, ?)`,
      ),
      dropOlder: db.prepare(
        `DELETE FROM ${t} WHERE tenant_id = ? AND schedule_id = ? AND generation < ?`,
      ),
      page: db.prepare<[string, string, number, number, number], { period: string }>(
        `SELECT period FROM ${t}
         WHERE tenant_id = ? AND schedule_id = ? AND generation = ? AND idx >= ? AND idx < ?
         ORDER BY idx`,
      ),
      checkpoint: db.prepare<[], { position: number }>(
        `SELECT position FROM ${t}_checkpoint WHERE id = 1`,
      ),
      advance: db.prepare(
        `INSERT INTO ${t}_checkpoint (id, position) VALUES (1, ?)
         ON CONFLICT (id) DO UPDATE SET position = max(position, excluded.position)`,
      ),
    };
  }

  async apply(events: readonly StoredEvent[]): Promise<void> {
    const updates = new Map<string, Update>();
    let reached = 0;
    let gap: ProjectionGapError | undefined;
    for (const event of events) {
      if (isBillingScheduleEvent(event)) {
        const id = scheduleIdOf(event);
        const head = updates.get(id)?.head ?? this.storedHead(id);
        const version = head?.version ?? 0;
        if (event.version > version + 1) {
          gap = new ProjectionGapError(event.streamId, version + 1, event.version);
          break;
        }
        if (event.version === version + 1) {
          const next = nextHead(head, event);
          if (next.head) {
            const previous = updates.get(id)?.periods;
            updates.set(id, {
              head: next.head,
              periods: next.periodsChanged ? { generation: event.version, list: null } : previous,
            });
          }
        }
      }
      reached = Math.max(reached, event.position);
    }
    const rows: [string, string, number, number, string][] = [];
    for (const { head, periods } of updates.values()) {
      if (!periods) continue;
      periods.list = await computeAllPeriods(head.inputs);
      for (const period of periods.list ?? []) {
        rows.push([
          head.tenantId,
          head.scheduleId,
          periods.generation,
          period.index,
          JSON.stringify(period),
        ]);
      }
      while (rows.length >= ROWS_PER_TRANSACTION) {
        this.writeRows(rows.splice(0, ROWS_PER_TRANSACTION));
        await yieldToEventLoop();
      }
    }
    withoutSync(this.db, () =>
      this.db.transaction(() => {
        this.writeRows(rows);
        for (const { head, periods } of updates.values()) this.writeHead(head, periods);
        if (reached > 0) this.statements.advance.run(reached);
      })(),
    );
    if (gap) throw gap;
  }

  async page(tenantId: string, scheduleId: string, page: Page): Promise<PeriodsPage | null> {
    // One read transaction: the head and its generation's rows as of the same commit.
    return this.db.transaction(() => {
      const head = this.statements.head.get(scheduleId);
      if (!head || head.tenant_id !== tenantId || head.deleted) return null;
      if (head.generation === null) {
        return { version: head.version, materialised: false, data: [], total: 0 };
      }
      const data = this.statements.page
        .all(tenantId, scheduleId, head.generation, page.offset, page.offset + page.limit)
        .map((row) => JSON.parse(row.period) as BillingPeriod);
      return { version: head.version, materialised: true, data, total: head.total };
    })();
  }

  async checkpoint(): Promise<number> {
    return this.statements.checkpoint.get()?.position ?? 0;
  }

  private storedHead(scheduleId: string): PeriodsHead | null {
    const row = this.statements.head.get(scheduleId);
    return row
      ? {
          scheduleId: row.schedule_id,
          tenantId: row.tenant_id,
          version: row.version,
          deleted: row.deleted === 1,
          inputs: JSON.parse(row.inputs) as PeriodsHead['inputs'],
        }
      : null;
  }

  private writeRows(rows: [string, string, number, number, string][]): void {
    if (rows.length === 0) return;
    withoutSync(this.db, () =>
      this.db.transaction(() => {
        for (const row of rows) this.statements.insertPeriod.run(...row);
      })(),
    );
  }

  /** Keeps the stored generation unless this batch made a new one; never moves a head back. */
  private writeHead(head: PeriodsHead, periods: Update['periods']): void {
    const stored = this.statements.head.get(head.scheduleId);
    if (stored && stored.version >= head.version) return;
    const generation = periods ? periods.list && periods.generation : (stored?.generation ?? null);
    this.statements.upsertHead.run({
      schedule_id: head.scheduleId,
      tenant_id: head.tenantId,
      version: head.version,
      deleted: head.deleted ? 1 : 0,
      inputs: JSON.stringify(head.inputs),
      generation,
      total: periods ? (periods.list?.length ?? 0) : (stored?.total ?? 0),
    });
    if (periods) {
      this.statements.dropOlder.run(head.tenantId, head.scheduleId, periods.generation);
    }
  }
}
