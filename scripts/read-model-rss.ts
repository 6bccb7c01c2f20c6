/**
 * Memory of the embedded read models with 100,000 schedules stored (issue 9: RSS < 250 MiB).
 * Builds a database of SCHEDULES active schedules, then, in a fresh process, opens it and does
 * what the service does with it (catch-up check, GETs, list pages, the billing-period task's
 * whole keyset walk) and prints the RSS. For comparison it also folds the same events into the
 * in-memory model, which holds every schedule.
 *
 *   TS_NODE_PROJECT=tsconfig.json node -r @swc-node/register -r tsconfig-paths/register \
 *     scripts/read-model-rss.ts [schedules]
 */
import {
  BILLING_SCHEDULE_STREAM_TYPE,
  billingScheduleStreamId,
  decide,
  evolve,
  type BillingScheduleCommand,
  type BillingScheduleState,
} from '@app/domain';
import { openSqliteDatabase, type StoredEvent } from '@app/event-store';
import {
  InMemoryBillingScheduleReadModel,
  SqliteBillingScheduleReadModel,
  type BillingScheduleReadModel,
} from '@app/read-models';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TENANT = 'merchant-a';
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The events of one active monthly schedule, a template for every other (ids substituted). */
function template(): string {
  const id = 'bs_TEMPLATE';
  const commands: BillingScheduleCommand[] = [
    {
      type: 'CreateBillingSchedule',
      scheduleId: id,
      merchantId: TENANT,
      input: {
        startDate: '2024-01-01T00:00:00Z',
        endDate: '2025-01-01T00:00:00Z',
        billingAnchor: '2024-01-01T00:00:00Z',
        orderId: `ord_${id}`,
      },
    },
    {
      type: 'ReplaceScheduleIntervals',
      intervals: [
        {
          baseQuantity: '3',
          billingCadence: 'P1M',
          startDate: '2024-01-01T00:00:00Z',
          endDate: '2025-01-01T00:00:00Z',
          unitPrice: '9.99',
        },
      ],
    },
    { type: 'UpdateBillingSchedule', patch: { status: 'active' } },
    { type: 'GenerateScheduleInvoices' },
  ];
  let state: BillingScheduleState = null;
  const events: unknown[] = [];
  for (const command of commands) {
    for (const event of decide(command, state, {
      now: '2023-12-01T00:00:00Z',
      newId: (prefix) => `${prefix}_${id}_${events.length}`,
    })) {
      state = evolve(state, event, events.length + 1);
      events.push({
        ...event,
        id: `evt_${id}_${events.length}`,
        occurredAt: '2023-12-01T00:00:00Z',
        recordedAt: '2023-12-01T00:00:00Z',
        metadata: { correlationId: 'c', causationId: 'c' },
        streamId: billingScheduleStreamId(id),
        streamType: BILLING_SCHEDULE_STREAM_TYPE,
        tenantId: TENANT,
        version: events.length + 1,
      });
    }
  }
  return JSON.stringify(events);
}

function* batches(schedules: number, perBatch = 1_000): Generator<StoredEvent[]> {
  const json = template();
  let position = 0;
  for (let from = 0; from < schedules; from += perBatch) {
    const batch: StoredEvent[] = [];
    for (let n = from; n < Math.min(schedules, from + perBatch); n++) {
      const id = `bs_${String(n).padStart(7, '0')}`;
      for (const event of JSON.parse(json.replaceAll('bs_TEMPLATE', id)) as StoredEvent[]) {
        batch.push({ ...event, position: ++position });
      }
    }
    yield batch;
  }
}

async function exercise(model: BillingScheduleReadModel, schedules: number): Promise<string> {
  await model.checkpoint();
  for (let n = 0; n < schedules; n += Math.ceil(schedules / 1_000)) {
    await model.get(TENANT, `bs_${String(n).padStart(7, '0')}`);
  }
  for (let offset = 0; offset < 5_000; offset += 50) {
    await model.list(TENANT, {}, { limit: 50, offset });
  }
  let due = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = await model.dueForPeriodUpdate({
      asOf: '2024-02-01T00:00:00Z',
      afterId,
      limit: 500,
    });
    if (page.length === 0) break;
    due += page.length;
    afterId = page.at(-1)!.id;
  }
  return `${due} due`;
}

async function main(): Promise<void> {
  const [mode, arg] = process.argv.slice(2);
  if (mode === '--read') {
    const baseline = process.memoryUsage().rss;
    const started = Date.now();
    const model = new SqliteBillingScheduleReadModel(openSqliteDatabase(arg));
    const what = await exercise(model, Number(process.argv[4]));
    console.log(
      `sqlite, fresh process: opened and walked (${what}) in ${Date.now() - started} ms; ` +
        `RSS ${mib(process.memoryUsage().rss)} (${mib(baseline)} before opening it)`,
    );
    return;
  }
  if (mode === '--memory') {
    const model = new InMemoryBillingScheduleReadModel();
    for (const batch of batches(Number(arg))) await model.apply(batch);
    const what = await exercise(model, Number(arg));
    console.log(`in memory (${what}): RSS ${mib(process.memoryUsage().rss)}`);
    return;
  }
  const schedules = Number(mode ?? 100_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'read-model-rss-'));
  try {
    const started = Date.now();
    const db = openSqliteDatabase(dataDir);
    const model = new SqliteBillingScheduleReadModel(db);
    let events = 0;
    for (const batch of batches(schedules)) {
      await model.apply(batch);
      events += batch.length;
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `sqlite, building: ${schedules} schedules (${events} events) applied in ${seconds.toFixed(1)} s ` +
        `(${Math.round(events / seconds)} events/s); RSS ${mib(process.memoryUsage().rss)}`,
    );
    db.close();
    for (const args of [
      ['--read', dataDir, '--schedules', String(schedules)],
      ['--memory', String(schedules)],
    ]) {
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, ...args], {
        stdio: 'inherit',
        env: process.env,
      });
      if (child.status !== 0) process.exitCode = 1;
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
