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
    // The dead process's locks are still there: the restart has to take them over.
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining(['billing.sqlite.lock']));
    // A control start on an empty DATA_DIR at the same instant shows what merely starting costs
    // under the machine's current load.
    const startTimed = async (env: NodeJS.ProcessEnv = {}) => {
      const startedAt = Date.now();
      const service = await start(env);
      await waitReady(service, 60_000);
      return { service, readyMs: Date.now() - startedAt };
    };
    const [restart, control] = await Promise.all([
      startTimed(),
      startTimed({ DATA_DIR: join(dataDir, 'control') }),
    ]);
    const restarted = restart.service;
    process.stdout.write(
      `[crash-restart] restart to /health/ready: ${restart.readyMs} ms ` +
        `(a start on an empty DATA_DIR at the same time: ${control.readyMs} ms)\n`,
    );
    // 3 s is the acceptance bound; on an idle 2-core machine a start takes about 1 s, almost all
    // of it loading Nest. Where the machine is so loaded that the control start itself is slow,
    // the restart may take as long as it plus a quarter (at least 1 s). Waiting for the lock to go
    // stale (10 s, what the service did before) fails either bound.
    const slack = Math.max(1_000, control.readyMs / 4);
    expect(restart.readyMs).toBeLessThan(Math.max(3_000, control.readyMs + slack));

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
