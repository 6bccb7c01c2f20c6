import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scheduleBody, TENANT_A } from './support/test-app';
import {
  freePort,
  killService,
  startService,
  waitReady,
  type ServiceProcess,
} from './support/service-process';

/** Issue 7: a supervisor that restarts the service at once after `kill -9` must not see a crash loop. */
describe('restart right after a crash (separate processes, embedded store)', () => {
  const started: ServiceProcess[] = [];
  let dataDir: string;

  const start = async (env: NodeJS.ProcessEnv = {}) => {
    const service = startService({
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      API_KEYS: `${TENANT_A.key}=${TENANT_A.tenant}`,
      LOG_LEVEL: 'silent',
      ...env,
    });
    started.push(service);
    return service;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'billing-crash-'));
  });
  afterAll(async () => {
    await Promise.all(started.map((service) => killService(service)));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers /health/ready within 3 s of a restart right after SIGKILL, with the acknowledged write; a second live process is refused', async () => {
    const first = await start();
    await waitReady(first, 60_000);
    const created = await fetch(`${first.url}/v0/billingSchedules`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TENANT_A.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(scheduleBody({ orderId: 'ord_crash' })),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    await killService(first, 'SIGKILL');
    const restartedAt = Date.now();
    const restarted = await start();
    await waitReady(restarted, 10_000);
    const restartToReadyMs = Date.now() - restartedAt;
    process.stdout.write(`[crash-restart] restart to /health/ready: ${restartToReadyMs} ms\n`);
    expect(restartToReadyMs).toBeLessThan(3_000);

    const read = await fetch(`${restarted.url}/v0/billingSchedules/${id}`, {
      headers: { Authorization: `Bearer ${TENANT_A.key}` },
    });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { orderId: string }).orderId).toBe('ord_crash');

    const second = await start();
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toContain(`DATA_DIR ${dataDir} is in use by another process`);
    expect((await fetch(`${restarted.url}/health/ready`)).status).toBe(200);
  }, 120_000);
});
