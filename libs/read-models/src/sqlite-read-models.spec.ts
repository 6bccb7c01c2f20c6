import { openSqliteDatabase, type SqliteDatabase } from '@app/event-store';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAccountSchedulesReadModel } from './account-schedules/sqlite-account-schedules-read-model';
import type { BillingScheduleReadModel } from './billing-schedules/billing-schedule-read-model.port';
import { SqliteBillingScheduleReadModel } from './billing-schedules/sqlite-billing-schedule-read-model';
import {
  describeAccountSchedulesReadModelContract,
  describeBillingScheduleReadModelContract,
} from './read-model.contract';

/** A database file of its own in a temporary DATA_DIR, removed by cleanup. */
function freshDatabase<M>(open: (db: SqliteDatabase, opened: SqliteDatabase[]) => M) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sqlite-read-models-'));
  const db = openSqliteDatabase(dataDir);
  const opened: SqliteDatabase[] = [db];
  return {
    readModel: open(db, opened),
    opened,
    cleanup: async () => {
      for (const connection of opened) connection.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describeBillingScheduleReadModelContract('SqliteBillingScheduleReadModel', async () =>
  freshDatabase((db) => new SqliteBillingScheduleReadModel(db)),
);

// The same contract with every read answered by another connection's model, whose cache of
// parsed states never saw the writes: the rows alone must hold each state, and a cached state
// must not outlive the version it was read at.
describeBillingScheduleReadModelContract(
  'SqliteBillingScheduleReadModel, read through another connection',
  async () => {
    return freshDatabase((db, opened) => {
      const writer = new SqliteBillingScheduleReadModel(db);
      const other = new Database(db.name);
      opened.push(other);
      const reader = new SqliteBillingScheduleReadModel(other);
      const model: BillingScheduleReadModel = {
        apply: (events) => writer.apply(events),
        get: (tenantId, id) => reader.get(tenantId, id),
        list: (tenantId, filter, page) => reader.list(tenantId, filter, page),
        dueForPeriodUpdate: (query) => reader.dueForPeriodUpdate(query),
        checkpoint: () => reader.checkpoint(),
      };
      return model;
    });
  },
);

describeAccountSchedulesReadModelContract('SqliteAccountSchedulesReadModel', async () =>
  freshDatabase((db) => new SqliteAccountSchedulesReadModel(db)),
);

describe('SqliteBillingScheduleReadModel due query', () => {
  it('walks an index on (status, deleted, id, current period end): no table scan, no sort', async () => {
    const { readModel, cleanup } = freshDatabase((db) => new SqliteBillingScheduleReadModel(db));
    try {
      for (const [plan, index] of [
        [readModel.explainDueQuery(), 'billing_schedules__due'],
        [readModel.explainDueQuery('merchant-a'), 'billing_schedules__due_by_tenant'],
      ] as const) {
        expect(plan).toHaveLength(1);
        expect(plan[0]).toMatch(
          new RegExp(`^SEARCH billing_schedules USING COVERING INDEX ${index} \\(`),
        );
        expect(plan[0]).toContain('id>?');
        expect(plan.join()).not.toMatch(/TEMP B-TREE|\bSCAN\b/);
      }
    } finally {
      await cleanup();
    }
  });
});

describe('SqliteBillingScheduleReadModel commits', () => {
  it('leave the connection’s synchronous setting (the event store’s durability) as it was', async () => {
    const { readModel, opened, cleanup } = freshDatabase(
      (db) => new SqliteBillingScheduleReadModel(db),
    );
    try {
      const [db] = opened;
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      await readModel.apply([{ streamType: 'other', position: 3 } as never]);
      expect(await readModel.checkpoint()).toBe(3);
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      await cleanup();
    }
  });
});
