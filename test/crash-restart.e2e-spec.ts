import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scheduleBody, TENANT_A } from './support/test-app';
import {
  compileService,
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
  let build: ReturnType<typeof compileService>;

  const start = async (env: NodeJS.ProcessEnv = {}) => {
    const service = startService(build.main, {
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
    build = compileService();
  });
  afterAll(async () => {
    await Promise.all(started.map((service) => killService(service)));
    await rm(dataDir, { recursive: true, force: true });
    await rm(build.dir, { recursive: true, force: true });
  });

  it('answers /health/ready within 3 s of a restart right after SIGKILL, with the acknowledged write; a second live process is refused', async () => {
    const startedAt = Date.now();
    const first = await start();
    await waitReady(first, 60_000);
    const coldStartMs = Date.now() - startedAt;
    const created = await fetch(`${first.url}/v0/billingSchedules`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TENANT_A.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(scheduleBody({ orderId: 'ord_crash' })),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    await killService(first, 'SIGKILL');
    // The dead process's locks are still there: the restart has to take them over.
    expect(await readdir(dataDir)).toEqual(
      expect.arrayContaining(['events.jsonl.lock', 'idempotency.jsonl.lock']),
    );
    const restartedAt = Date.now();
    const restarted = await start();
    await waitReady(restarted, 10_000);
    const restartToReadyMs = Date.now() - restartedAt;
    process.stdout.write(
      `[crash-restart] restart to /health/ready: ${restartToReadyMs} ms (cold start: ${coldStartMs} ms)\n`,
    );
    // 3 s is the acceptance bound (about 0.8 s of it is loading Nest on an idle 2-core machine).
    // On a machine so loaded that even the cold start above took longer, the restart must still
    // be no slower than that start plus 1 s: waiting for a lock to go stale (10 s) fails both.
    expect(restartToReadyMs).toBeLessThan(Math.max(3_000, coldStartMs + 1_000));

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
