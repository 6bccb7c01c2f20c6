import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '@app/event-store';
import { scheduleBody, TENANT_A } from './support/test-app';
import {
  compileService,
  freePort,
  killService,
  startService,
  waitReady,
  type ServiceProcess,
} from './support/service-process';

/**
 * Issue 9 acceptance: the service (its own process, embedded SQLite store) takes many
 * concurrent commands, so their appends are group-committed, and is SIGKILLed while commands
 * are in flight. After a restart every command that was acknowledged (2xx received) before
 * the kill has all its events, every stream is gap-free, and an acknowledged create retried
 * with its Idempotency-Key answers the same schedule.
 */
describe('SIGKILL during group commits (separate process, embedded store)', () => {
  const WORKERS = 48;
  const started: ServiceProcess[] = [];
  let dataDir: string;
  let build: ReturnType<typeof compileService>;

  const start = async () => {
    const service = startService(build.main, {
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      API_KEYS: `${TENANT_A.key}=${TENANT_A.tenant}`,
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: String(Number.MAX_SAFE_INTEGER),
    });
    started.push(service);
    await waitReady(service, 90_000);
    return service;
  };
  const headers = (key?: string) => ({
    Authorization: `Bearer ${TENANT_A.key}`,
    'Content-Type': 'application/json',
    ...(key ? { 'Idempotency-Key': key } : {}),
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'billing-group-crash-'));
    build = compileService();
  });
  afterAll(async () => {
    await Promise.all(started.map((service) => killService(service)));
    await rm(dataDir, { recursive: true, force: true });
    await rm(build.dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged command after a kill in the middle of concurrent writes', async () => {
    const first = await start();
    /** The highest version each schedule was acknowledged at. */
    const acked = new Map<string, number>();
    const creates: { key: string; body: unknown; id: string }[] = [];
    let acks = 0;
    const ack = (id: string, version: number) => {
      acks += 1;
      acked.set(id, Math.max(acked.get(id) ?? 0, version));
    };
    let inFlight = 0;
    let killed = false;

    const created = await fetch(`${first.url}/v0/billingSchedules`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify(scheduleBody({ orderId: 'ord_hot' })),
    });
    const hot = ((await created.json()) as { id: string }).id;
    ack(hot, 1);

    /** Sends one command; records it as acknowledged only when a 2xx arrived. */
    const send = async (path: string, method: string, body: unknown, key?: string) => {
      inFlight += 1;
      try {
        const res = await fetch(`${first.url}${path}`, {
          method,
          headers: headers(key),
          body: JSON.stringify(body),
        });
        if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status}`);
        const answer = (await res.json()) as { id: string; version: number };
        ack(answer.id, answer.version);
        return answer;
      } finally {
        inFlight -= 1;
      }
    };

    const worker = async (w: number) => {
      for (let round = 0; !killed; round += 1) {
        const key = `crash-${w}-${round}`;
        const body = scheduleBody({ orderId: `ord_${w}_${round}` });
        const { id } = await send('/v0/billingSchedules', 'POST', body, key);
        creates.push({ key, body, id });
        for (let edit = 0; edit < 3 && !killed; edit += 1) {
          // Half the edits contend for one stream: conflicts inside a batch, retried by the service.
          const target = edit === 1 ? hot : id;
          await send(`/v0/billingSchedules/${target}`, 'PATCH', {
            metadata: { worker: String(w), round: String(round), edit: String(edit) },
          });
        }
      }
    };
    const workers = Array.from({ length: WORKERS }, (_, w) => worker(w).catch(() => undefined));

    // Let the load run until a few hundred commands were acknowledged, then kill mid-flight.
    const deadline = Date.now() + 60_000;
    while (acks < 400 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const inFlightAtKill = inFlight;
    killed = true;
    await killService(first, 'SIGKILL');
    await Promise.all(workers);
    const acknowledged = new Map(acked); // nothing acknowledged after the kill counts
    process.stdout.write(
      `[group-commit-crash] ${acks} acknowledged commands on ${acknowledged.size} schedules; ` +
        `${inFlightAtKill} requests in flight at the kill\n`,
    );
    expect(inFlightAtKill).toBeGreaterThan(0);

    const restarted = await start();

    // Straight from the file, as a tool beside the running service would read it.
    const db = openSqliteDatabase(dataDir, { readonly: true });
    try {
      const streams = db
        .prepare(
          `SELECT stream_id AS streamId, count(*) AS events, min(version) AS first,
             max(version) AS last FROM events GROUP BY stream_id`,
        )
        .all() as { streamId: string; events: number; first: number; last: number }[];
      expect(streams.filter((s) => s.first !== 1 || s.last !== s.events)).toEqual([]);
      const versions = new Map(
        streams.map((s) => [s.streamId.replace(/^billing_schedule-/, ''), s.last]),
      );
      const lost = [...acknowledged].filter(([id, version]) => (versions.get(id) ?? 0) < version);
      expect(lost).toEqual([]);
      const { count, head } = db
        .prepare('SELECT count(*) AS count, max(position) AS head FROM events')
        .get() as { count: number; head: number };
      expect(head).toBe(count);
    } finally {
      db.close();
    }

    const stale: string[] = [];
    for (const [id, version] of acknowledged) {
      const res = await fetch(`${restarted.url}/v0/billingSchedules/${id}`, { headers: headers() });
      const answer = (await res.json()) as { version: number };
      if (res.status !== 200 || answer.version < version) stale.push(`${id}@${version}`);
    }
    expect(stale).toEqual([]);
    for (const { key, body, id } of creates.slice(-20)) {
      const retry = await fetch(`${restarted.url}/v0/billingSchedules`, {
        method: 'POST',
        headers: headers(key),
        body: JSON.stringify(body),
      });
      expect(retry.status).toBe(201);
      expect(((await retry.json()) as { id: string }).id).toBe(id);
    }
  }, 240_000);
});
