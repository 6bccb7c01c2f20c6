import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SQLITE_FILE } from '@app/event-store';
import { scheduleShape } from '../../bench/support/fixtures';
import { seedSchedules } from '../../bench/support/seed';
import { runCli, startTestApp, TENANT_A } from './support/cli';

/**
 * Issue 10: `billing-events rebuild` on 100,000 events of the embedded store, while the API
 * serves reads from the same database. The store is seeded as the bench seeds it (through the
 * service's own modules: the event store and every read model), 3 events per schedule.
 */
const SCHEDULES = 33_334;
jest.setTimeout(1_200_000);

/** Every read model's table, with its companions and checkpoints. */
const READ_MODEL_TABLES = [
  'billing_schedules',
  'billing_schedules_items',
  'account_schedules',
  'billing_periods',
  'billing_periods_heads',
  'billing_periods_checkpoint',
  'read_model_checkpoints',
];

/**
 * Row count and an order-independent digest (the sum of each row's hash) per table: the same
 * rows give the same digest whatever their rowids, without holding a million rows in memory.
 */
function readModelDigest(dataDir: string): Record<string, { rows: number; digest: string }> {
  const db = new Database(join(dataDir, SQLITE_FILE), { readonly: true });
  try {
    const digests: Record<string, { rows: number; digest: string }> = {};
    for (const table of READ_MODEL_TABLES) {
      let rows = 0;
      let sum = 0n;
      for (const row of db.prepare(`SELECT * FROM ${table}`).iterate()) {
        const hash = createHash('sha256').update(JSON.stringify(row)).digest();
        sum = (sum + hash.readBigUInt64BE(0)) % 2n ** 64n;
        rows++;
      }
      digests[table] = { rows, digest: sum.toString(16) };
    }
    return digests;
  } finally {
    db.close();
  }
}

describe('billing-events rebuild at scale (embedded, 100,000 events)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cli-rebuild-scale-'));
    const seeded = await seedSchedules(
      dataDir,
      TENANT_A.tenant,
      [{ count: SCHEDULES, shape: scheduleShape('2024-01-01T00:00:00Z'), activate: true }],
      join(dataDir, 'seeded.jsonl'),
    );
    expect(seeded.events).toBeGreaterThanOrEqual(100_000);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('rebuilds read models equal to the live ones while a client reading meanwhile sees no error', async () => {
    const live = readModelDigest(dataDir);
    expect(live.billing_schedules.rows).toBe(SCHEDULES);
    expect(live.billing_periods.rows).toBeGreaterThan(SCHEDULES);

    const api = await startTestApp({ dataDir });
    try {
      let reading = true;
      const statuses: number[] = [];
      const reader = (async () => {
        while (reading) {
          const page = await api.http().get('/v0/billingSchedules?limit=5').set(api.auth());
          statuses.push(page.status);
          await sleep(20); // a client's pace, well under the tenant's rate limit (100/s)
        }
      })();
      const rebuild = await runCli(['rebuild'], { DATA_DIR: dataDir });
      reading = false;
      await reader;

      expect(rebuild.stderr.split('\n').filter((line) => /error/i.test(line))).toEqual([]);
      expect(rebuild.code).toBe(0);
      expect(rebuild.stdout).toMatch(/from 1000\d\d events/);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      process.stdout.write(`\n[rebuild at scale] ${rebuild.stdout.trim()}\n`);
    } finally {
      await api.close();
    }
    expect(readModelDigest(dataDir)).toEqual(live);
  });
});
