import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '@app/event-store';
import { describeBillingPeriodsReadModelContract } from './billing-periods-read-model.contract';
import { SqliteBillingPeriodsReadModel } from './sqlite-billing-periods-read-model';

describeBillingPeriodsReadModelContract('SqliteBillingPeriodsReadModel', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'periods-sqlite-'));
  const db = openSqliteDatabase(dir);
  return {
    readModel: new SqliteBillingPeriodsReadModel(db),
    cleanup: async () => {
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
