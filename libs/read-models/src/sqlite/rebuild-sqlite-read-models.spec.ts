import {
  BILLING_SCHEDULE_STREAM_TYPE,
  billingScheduleStreamId,
  decide,
  evolve,
  type BillingScheduleCommand,
  type BillingScheduleState,
} from '@app/domain';
import { openSqliteDatabase, type SqliteDatabase, type StoredEvent } from '@app/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { SqliteAccountSchedulesReadModel } from '../account-schedules/sqlite-account-schedules-read-model';
import { SqliteBillingScheduleReadModel } from '../billing-schedules/sqlite-billing-schedule-read-model';
import { SqliteBillingPeriodsReadModel } from '../billing-periods/sqlite-billing-periods-read-model';
import { rebuildSqliteReadModels } from './rebuild-sqlite-read-models';

const TENANT = 'merchant-a';

/** The events of active monthly schedules, decided by the domain, as a store hands them out. */
class Log {
  readonly events: StoredEvent[] = [];

  addSchedules(count: number, from: number): void {
    for (let n = from; n < from + count; n++) {
      const id = `bs_${String(n).padStart(5, '0')}`;
      const commands: BillingScheduleCommand[] = [
        {
          type: 'CreateBillingSchedule',
          scheduleId: id,
          merchantId: TENANT,
          input: {
            startDate: '2024-01-01T00:00:00Z',
            endDate: '2024-04-01T00:00:00Z',
            billingAnchor: '2024-01-01T00:00:00Z',
            orderId: `ord_${id}`,
          },
        },
        {
          type: 'ReplaceScheduleIntervals',
          intervals: [
            {
              baseQuantity: '1',
              billingCadence: 'P1M',
              startDate: '2024-01-01T00:00:00Z',
              endDate: '2024-04-01T00:00:00Z',
              unitPrice: '5.00',
            },
          ],
        },
        { type: 'UpdateBillingSchedule', patch: { status: 'active' } },
      ];
      let state: BillingScheduleState = null;
      let version = 0;
      for (const command of commands) {
        for (const event of decide(command, state, {
          now: '2023-12-01T00:00:00Z',
          newId: (prefix) => `${prefix}_${id}_${version}`,
        })) {
          state = evolve(state, event, ++version);
          this.events.push(
            JSON.parse(
              JSON.stringify({
                ...event,
                id: `evt_${this.events.length + 1}`,
                occurredAt: '2023-12-01T00:00:00Z',
                recordedAt: '2023-12-01T00:00:00Z',
                metadata: { correlationId: 'c', causationId: 'c' },
                streamId: billingScheduleStreamId(id),
                streamType: BILLING_SCHEDULE_STREAM_TYPE,
                tenantId: TENANT,
                version,
                position: this.events.length + 1,
              }),
            ) as StoredEvent,
          );
        }
      }
    }
  }
}

describe('rebuildSqliteReadModels', () => {
  let dataDir: string;
  const connections: SqliteDatabase[] = [];
  const open = () => {
    const db = openSqliteDatabase(dataDir);
    connections.push(db);
    return db;
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sqlite-rebuild-'));
  });

  afterEach(() => {
    for (const db of connections.splice(0)) db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds fresh tables while the live ones answer, then switches them in for a running reader', async () => {
    const log = new Log();
    log.addSchedules(300, 0);
    const service = open();
    const live = new SqliteBillingScheduleReadModel(service);
    const liveAccounts = new SqliteAccountSchedulesReadModel(service);
    const livePeriods = new SqliteBillingPeriodsReadModel(service);
    await live.apply(log.events);
    await liveAccounts.apply(log.events);
    await livePeriods.apply(log.events);
    // What a rebuild repairs: rows the live tables lost.
    service.exec(`DELETE FROM billing_schedules WHERE id IN ('bs_00007', 'bs_00150')`);
    service.exec(`DELETE FROM billing_periods_heads WHERE schedule_id = 'bs_00007'`);
    expect(await live.get(TENANT, 'bs_00007')).toBeNull();
    expect(await livePeriods.page(TENANT, 'bs_00007', { limit: 10, offset: 0 })).toBeNull();

    // The store answers a batch per turn of the event loop; meanwhile the service commits
    // 20 more schedules (applied to the live tables) and keeps reading.
    let reads = 0;
    let readerError: unknown;
    let rebuilding = true;
    const reader = (async () => {
      while (rebuilding) {
        try {
          const page = await live.list(TENANT, {}, { limit: 5, offset: 0 });
          const due = await live.dueForPeriodUpdate({ asOf: '2024-02-01T00:00:00Z', limit: 5 });
          if (page.data.length !== 5 || due.length !== 5) throw new Error('short answer');
          reads++;
        } catch (error) {
          readerError = error;
          return;
        }
        await turn();
      }
    })();
    let calls = 0;
    const store = {
      readAll: async ({ after = 0, limit = 100 } = {}) => {
        await turn();
        if (++calls === 2) {
          const from = log.events.length;
          log.addSchedules(20, 300);
          await live.apply(log.events.slice(from));
        }
        return log.events.filter((e) => e.position > after).slice(0, limit);
      },
    };
    const result = await rebuildSqliteReadModels({ db: open(), store, batchSize: 100 });
    rebuilding = false;
    await reader;

    expect(readerError).toBeUndefined();
    expect(reads).toBeGreaterThan(3);
    expect(result).toEqual({ events: log.events.length, position: log.events.length });
    // The same statements, on the same connection, now read the rebuilt tables.
    expect((await live.get(TENANT, 'bs_00007'))?.status).toBe('active');
    expect((await live.get(TENANT, 'bs_00150'))?.intervals).toHaveLength(1);
    expect((await live.list(TENANT, {}, { limit: 1, offset: 0 })).total).toBe(320);
    expect(
      await live.dueForPeriodUpdate({
        asOf: '2024-02-01T00:00:00Z',
        afterId: 'bs_00318',
        limit: 5,
      }),
    ).toEqual([{ id: 'bs_00319', merchantId: TENANT }]);
    expect(await live.checkpoint()).toBe(log.events.length);
    expect(await liveAccounts.checkpoint()).toBe(log.events.length);
    expect(await livePeriods.checkpoint()).toBe(log.events.length);
    const periods = await livePeriods.page(TENANT, 'bs_00007', { limit: 10, offset: 0 });
    expect(periods?.total).toBe(3);
    expect(periods?.data.map((period) => period.startDate)).toEqual([
      '2024-01-01T00:00:00Z',
      '2024-02-01T00:00:00Z',
      '2024-03-01T00:00:00Z',
    ]);
    const tables = service
      .prepare<[], string>(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual([
      'account_schedules',
      'billing_periods',
      'billing_periods_checkpoint',
      'billing_periods_heads',
      'billing_schedules',
      'billing_schedules_items',
      'read_model_checkpoints',
    ]);
    // The rebuilt table keeps its indexes under their build names; reopening adds none.
    const indexes = () =>
      service
        .prepare<[], string>(
          `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'billing_schedules' AND sql IS NOT NULL`,
        )
        .pluck()
        .all();
    const before = indexes();
    expect(before).toHaveLength(6);
    new SqliteBillingScheduleReadModel(open());
    expect(indexes()).toEqual(before);
    expect(live.explainDueQuery().join()).toMatch(
      /USING COVERING INDEX billing_schedules_rebuild_\w+__due \(/,
    );
  });

  it('builds the read models of a database that has none yet', async () => {
    const log = new Log();
    log.addSchedules(3, 0);
    const store = {
      readAll: async ({ after = 0 } = {}) => log.events.filter((e) => e.position > after),
    };
    const result = await rebuildSqliteReadModels({ db: open(), store });
    expect(result.position).toBe(log.events.length);
    const model = new SqliteBillingScheduleReadModel(open());
    expect((await model.list(TENANT, {}, { limit: 10, offset: 0 })).total).toBe(3);
    expect(await model.checkpoint()).toBe(log.events.length);
  });
});
