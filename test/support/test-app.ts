import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { createApp } from '../../apps/api/src/bootstrap';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { assertStoredEventsMatchSchemas } from './event-schema-check';

export const TENANT_A = { key: 'key_tenant_a', tenant: 'merchant_a' };
export const TENANT_B = { key: 'key_tenant_b', tenant: 'merchant_b' };

export interface TestApp {
  app: NestFastifyApplication;
  dataDir: string;
  /** supertest bound to the running server, authenticated as tenant A unless `as` says otherwise. */
  http: () => ReturnType<typeof request>;
  auth: (key?: string) => Record<string, string>;
  close: () => Promise<void>;
  /** Closes the app and removes its data dir. */
  destroy: () => Promise<void>;
}

process.env.LOG_LEVEL = 'silent';

/** Starts the real Nest app on the embedded store in a temporary (or given) DATA_DIR. */
export async function startTestApp(
  options: { dataDir?: string; env?: NodeJS.ProcessEnv; logDestination?: DestinationStream } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'billing-e2e-')));
  const config = loadConfig({
    DATA_DIR: dataDir,
    API_KEYS: `${TENANT_A.key}=${TENANT_A.tenant},${TENANT_B.key}=${TENANT_B.tenant}`,
    BILLING_PERIOD_UPDATE_INTERVAL: '0',
    LOG_LEVEL: process.env.LOG_LEVEL,
    ...options.env,
  });
  const { app } = await createApp(config, { logDestination: options.logDestination });
  await app.init();
  // Fastify registers the routes Nest declared at init; supertest needs them ready.
  await app.getHttpAdapter().getInstance().ready();
  const server = app.getHttpServer();
  let closed = false;
  // Every suite checks its events: each one the app stored must match its documented schema.
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await assertStoredEventsMatchSchemas(dataDir);
  };
  return {
    app,
    dataDir,
    http: () => request(server),
    auth: (key = TENANT_A.key) => ({ Authorization: `Bearer ${key}` }),
    close,
    destroy: async () => {
      try {
        await close();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export const scheduleBody = (overrides: Record<string, unknown> = {}) => ({
  startDate: '2024-01-01T00:00:00Z',
  endDate: '2025-01-01T00:00:00Z',
  billingAnchor: '2024-01-01T00:00:00Z',
  orderId: 'ord_1',
  ...overrides,
});

export const intervalBody = (overrides: Record<string, unknown> = {}) => ({
  baseQuantity: '2',
  billingCadence: 'P1M',
  startDate: '2024-01-01T00:00:00Z',
  endDate: '2025-01-01T00:00:00Z',
  unitPrice: '10.00',
  ...overrides,
});

/** The README's Togai edit: plan `pp.basic` from 2024-07-04 to 2024-10-04, with the given cycle. */
export const associateEdit = (pricingCycleConfig: Record<string, unknown>) => ({
  mode: 'ASSOCIATE',
  effectiveFrom: '2024-07-04',
  effectiveUntil: '2024-10-04',
  associationConfig: {
    pricePlanId: 'pp.basic',
    pricePlanInfo: { name: 'Basic' },
    supportedCurrencies: ['USD'],
    pricingCycleConfig,
  },
});
