import type { EventStore, SqliteDatabase } from '@app/event-store';
import {
  ACCOUNT_SCHEDULES_TABLE,
  SqliteAccountSchedulesReadModel,
} from '../account-schedules/sqlite-account-schedules-read-model';
import {
  BILLING_SCHEDULES_TABLE,
  SqliteBillingScheduleReadModel,
} from '../billing-schedules/sqlite-billing-schedule-read-model';
import {
  BILLING_PERIODS_TABLE,
  SqliteBillingPeriodsReadModel,
} from '../billing-periods/sqlite-billing-periods-read-model';
import { CHECKPOINTS_TABLE } from './sqlite-projection-support';

export interface SqliteRebuildOptions {
  /**
   * A connection of the rebuild's own (`openSqliteDatabase(dataDir)`), never one this process
   * also writes through: the switch holds a write transaction on it across the store reads of
   * the last catch-up, and anything else written on it meanwhile would join that transaction.
   */
  db: SqliteDatabase;
  /** Where the events come from (the store on its own connection, or another backend). */
  store: Pick<EventStore, 'readAll'>;
  batchSize?: number;
  /** Called after each batch: events applied so far and the position reached. */
  onProgress?: (progress: { events: number; position: number }) => void;
}

export interface SqliteRebuildResult {
  /** Events read from the store and applied to the fresh tables. */
  events: number;
  /** The position the switched-in read models have reached. */
  position: number;
}

/**
 * The live tables of each read model, with the companions renamed alongside: the billing
 * schedules' item rows; the periods' heads and their own checkpoint.
 */
const LIVE_TABLES = [
  { table: BILLING_SCHEDULES_TABLE, companions: ['items'] },
  { table: ACCOUNT_SCHEDULES_TABLE, companions: [] },
  { table: BILLING_PERIODS_TABLE, companions: ['heads', 'checkpoint'] },
] as const;

const REBUILD_INFIX = '_rebuild_';
const RETIRED_INFIX = '_retired_';

/**
 * Rebuilds every SQLite read model from the store into fresh tables while the live ones keep
 * serving, then switches them in atomically:
 *
 * 1. Builds `<live>_rebuild_<stamp>` tables (with their indexes and checkpoints) from position 0,
 *    without holding any lock, until the store has nothing more.
 * 2. Takes the database's write lock (`BEGIN IMMEDIATE`), so no command can commit meanwhile,
 *    applies what was committed since, renames each live table to `<live>_retired_<stamp>` and
 *    each fresh one to its live name, moves the checkpoints, and commits: readers see the old
 *    tables or the new ones, never a mix, and no event is missed.
 * 3. Drops the retired tables.
 *
 * A running service needs no restart: SQLite re-prepares a connection's statements after another
 * connection changes the schema, and statements name the live tables, so they read the new ones.
 * Its read models drop their cache of parsed states when the schema version changes. Tables left
 * by a rebuild that died part-way are dropped at the next one.
 */
export async function rebuildSqliteReadModels(
  options: SqliteRebuildOptions,
): Promise<SqliteRebuildResult> {
  const { db, store } = options;
  const batchSize = options.batchSize ?? 5_000;
  dropLeftovers(db);
  const stamp = Date.now().toString(36);
  const fresh = {
    billing: new SqliteBillingScheduleReadModel(db, {
      table: `${BILLING_SCHEDULES_TABLE}${REBUILD_INFIX}${stamp}`,
    }),
    accounts: new SqliteAccountSchedulesReadModel(db, {
      table: `${ACCOUNT_SCHEDULES_TABLE}${REBUILD_INFIX}${stamp}`,
    }),
    periods: new SqliteBillingPeriodsReadModel(db, {
      table: `${BILLING_PERIODS_TABLE}${REBUILD_INFIX}${stamp}`,
    }),
  };
  let position = 0;
  let events = 0;
  const catchUp = async () => {
    for (;;) {
      const batch = await store.readAll({ after: position, limit: batchSize });
      if (batch.length === 0) return;
      await fresh.billing.apply(batch);
      await fresh.accounts.apply(batch);
      await fresh.periods.apply(batch);
      position = batch[batch.length - 1].position;
      events += batch.length;
      options.onProgress?.({ events, position });
    }
  };

  await catchUp();
  db.exec('BEGIN IMMEDIATE');
  try {
    await catchUp();
    const existing = tableNames(db);
    for (const { table, companions } of LIVE_TABLES) {
      const freshName = `${table}${REBUILD_INFIX}${stamp}`;
      for (const suffix of ['', ...companions.map((c) => `_${c}`)]) {
        if (existing.has(`${table}${suffix}`)) {
          db.exec(
            `ALTER TABLE ${table}${suffix} RENAME TO ${table}${RETIRED_INFIX}${stamp}${suffix}`,
          );
        }
        db.exec(`ALTER TABLE ${freshName}${suffix} RENAME TO ${table}${suffix}`);
      }
      db.prepare(`DELETE FROM ${CHECKPOINTS_TABLE} WHERE read_model = ?`).run(table);
      db.prepare(`UPDATE ${CHECKPOINTS_TABLE} SET read_model = ? WHERE read_model = ?`).run(
        table,
        freshName,
      );
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  dropLeftovers(db);
  return { events, position };
}

/** Tables (and checkpoints) of rebuilds that died part-way, and retired ones. */
function dropLeftovers(db: SqliteDatabase): void {
  const leftovers = [...tableNames(db)].filter((name) =>
    LIVE_TABLES.some(
      ({ table }) =>
        name.startsWith(`${table}${REBUILD_INFIX}`) || name.startsWith(`${table}${RETIRED_INFIX}`),
    ),
  );
  for (const name of leftovers) {
    db.exec(`DROP TABLE IF EXISTS ${name}`);
    db.prepare(`DELETE FROM ${CHECKPOINTS_TABLE} WHERE read_model = ?`).run(name);
  }
}

function tableNames(db: SqliteDatabase): Set<string> {
  return new Set(
    db.prepare<[], string>(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all(),
  );
}
