import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { register } from 'prom-client';
import { BILLING_SCHEDULE_STREAM_TYPE, billingScheduleStreamId } from '@app/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@app/event-store';
import {
  ACCOUNT_SCHEDULES_READ_MODEL,
  BILLING_PERIODS_READ_MODEL,
  BILLING_SCHEDULE_READ_MODEL,
  type AccountSchedulesReadModel,
  type BillingPeriodsReadModel,
  type BillingScheduleReadModel,
} from '@app/read-models';
import { AppModule } from '../../apps/api/src/app.module';
import { ApiKeys } from '../../apps/api/src/common/auth/api-keys';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { newEventId, newId } from '../../apps/api/src/infrastructure/ids';
import { decidedSchedule, newScheduleId, type ScheduleShape } from './fixtures';
import { log } from './processes';

/**
 * The service's own modules on `dataDir`, without HTTP: whatever store and read models are the
 * embedded default are the ones seeded, exactly as the service will open them.
 */
export async function openStore(dataDir: string): Promise<{
  context: INestApplicationContext;
  store: EventStore;
  readModels: { apply(events: readonly StoredEvent[]): Promise<void> }[];
}> {
  register.clear(); // prom-client's registry is process-wide; each context registers its metrics
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    BILLING_PERIOD_UPDATE_INTERVAL: '0',
  });
  const context = await NestFactory.createApplicationContext(
    AppModule.forRoot(config, new ApiKeys([])),
    { logger: false, abortOnError: false },
  );
  return {
    context,
    store: context.get<EventStore>(EVENT_STORE),
    readModels: [
      context.get<BillingScheduleReadModel>(BILLING_SCHEDULE_READ_MODEL),
      context.get<AccountSchedulesReadModel>(ACCOUNT_SCHEDULES_READ_MODEL),
      context.get<BillingPeriodsReadModel>(BILLING_PERIODS_READ_MODEL),
    ],
  };
}

export interface SeedGroup {
  count: number;
  shape: ScheduleShape;
  activate: boolean;
}

const IN_FLIGHT = 256;
const SCHEDULE_ID = /bs_[0-9A-Za-z]{24}/g;
const INTERVAL_ID = /si_[0-9A-Za-z]{24}/g;

/**
 * Appends schedules through the store (one append of its created / intervals-replaced /
 * activated events per schedule, IN_FLIGHT at a time so a group commit can batch them) and
 * projects them into the read models, as the command runner does. The domain decides one
 * template per group; each schedule is that template with fresh schedule and interval ids.
 * Every stored event is also written to `rawLog` (one JSON line each), the raw baseline.
 */
export async function seedSchedules(
  dataDir: string,
  tenantId: string,
  groups: SeedGroup[],
  rawLog: string,
): Promise<{ events: number; schedules: number; seconds: number }> {
  const started = performance.now();
  const { context, store, readModels } = await openStore(dataDir);
  const raw = createWriteStream(rawLog, { flags: 'a' });
  let events = 0;
  let schedules = 0;
  try {
    for (const group of groups) {
      const templateId = newScheduleId();
      const template = JSON.stringify(
        decidedSchedule(templateId, tenantId, group.shape, '2023-12-15T00:00:00Z', group.activate)
          .events,
      );
      for (let done = 0; done < group.count;) {
        const batch = Math.min(IN_FLIGHT, group.count - done);
        const appended = await Promise.all(
          Array.from({ length: batch }, () => {
            const scheduleId = newScheduleId();
            const intervalIds = new Map<string, string>();
            const decided = JSON.parse(
              template
                .replace(SCHEDULE_ID, (id) => (id === templateId ? scheduleId : id))
                .replace(INTERVAL_ID, (id) => {
                  if (!intervalIds.has(id)) intervalIds.set(id, newId('si'));
                  return intervalIds.get(id)!;
                }),
            ) as { type: string; schemaVersion: number; data: unknown }[];
            return store.append({
              streamId: billingScheduleStreamId(scheduleId),
              streamType: BILLING_SCHEDULE_STREAM_TYPE,
              tenantId,
              expectedVersion: 0,
              events: decided.map((event) => {
                const requestId = newEventId();
                return {
                  id: newEventId(),
                  type: event.type,
                  schemaVersion: event.schemaVersion,
                  occurredAt: '2023-12-15T00:00:00Z',
                  data: event.data,
                  metadata: { correlationId: requestId, causationId: requestId },
                };
              }),
            });
          }),
        );
        const stored = appended.flatMap((result) => result.events);
        stored.sort((a, b) => a.position - b.position);
        for (const readModel of readModels) await readModel.apply(stored);
        raw.write(stored.map((event) => `${JSON.stringify(event)}\n`).join(''));
        done += batch;
        events += stored.length;
        schedules += batch;
        if (schedules % 10_240 < IN_FLIGHT)
          log(`  seeded ${schedules} schedules (${events} events)`);
      }
    }
  } finally {
    await new Promise((resolve) => raw.end(resolve));
    await context.close();
  }
  return { events, schedules, seconds: (performance.now() - started) / 1000 };
}
