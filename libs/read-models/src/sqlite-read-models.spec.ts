import { openSqliteDatabase, type SqliteDatabase } from '@app/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAccountSchedulesReadModel } from './account-schedules/sqlite-account-schedules-read-model';
import { SqliteBillingScheduleReadModel } from './billing-schedules/sqlite-billing-schedule-read-model';
import {
  describeAccountSchedulesReadModelContract,
  describeBillingScheduleReadModelContract,
} from './read-model.contract';

/** A database file of its own in a temporary DATA_DIR, removed by cleanup. */
function freshDatabase<M>(open: (db: SqliteDatabase) => M) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sqlite-read-models-'));
  const db = openSqliteDatabase(dataDir);
  return {
    readModel: open(db),
    cleanup: async () => {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describeBillingScheduleReadModelContract('SqliteBillingScheduleReadModel', async () =>
  freshDatabase((db) => new SqliteBillingScheduleReadModel(db)),
);

describeAccountSchedulesReadModelContract('SqliteAccountSchedulesReadModel', async () =>
  freshDatabase((db) => new SqliteAccountSchedulesReadModel(db)),
);
