import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scheduleShape } from '../support/fixtures';
import { load, type Load } from '../support/load';
import { log, startBareFastify, startService, type Child } from '../support/processes';
import { fmt, measured, ms, type Row } from '../support/report';
import { summariseProfile } from '../support/cpu-profile';

const speed = (l: Load) => `${fmt(l.requestsPerSecond)} req/s, p99 ${ms(l.p99)}`;

/** Sends one request and insists on its status; returns the body bytes. */
async function call(url: string, status: number, init: RequestInit = {}): Promise<Buffer> {
  const response = await fetch(url, init);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== status) {
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${body.toString()}`);
  }
  return body;
}

/**
 * POST create, GET one schedule and GET its periods on the service (its own process, embedded
 * store), each against a bare Fastify process handling the same body / serving the same bytes.
 * With `profileFile`, the service's CPU is profiled during the POST load.
 */
export async function httpRows(
  seconds: number,
  profileFile?: string,
): Promise<{ rows: Row[]; emptyStartMs: number; profile?: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const bytesDir = mkdtempSync(join(tmpdir(), 'bench-bytes-'));
  let service: (Child & { key: string }) | undefined;
  let bare: Child | undefined;
  try {
    service = await startService(dataDir, {
      nodeArgs: profileFile
        ? ['-r', '@swc-node/register', '-r', join(__dirname, '..', 'substrate', 'cpu-profile.ts')]
        : [],
      env: profileFile ? { CPU_PROFILE_FILE: profileFile } : {},
      ipc: Boolean(profileFile),
    });
    const headers = { Authorization: `Bearer ${service.key}`, 'Content-Type': 'application/json' };
    const { schedule, intervals } = scheduleShape('2024-01-01T00:00:00Z');
    const createBody = JSON.stringify(schedule);
    const created = await call(`${service.url}/v0/billingSchedules`, 201, {
      method: 'POST',
      headers,
      body: createBody,
    });
    const id = (JSON.parse(created.toString()) as { id: string }).id;
    await call(`${service.url}/v0/billingSchedules/${id}/intervals`, 200, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ intervals }),
    });
    const one = await call(`${service.url}/v0/billingSchedules/${id}`, 200, { headers });
    const periods = await call(`${service.url}/v0/billingSchedules/${id}/periods`, 200, {
      headers,
    });
    writeFileSync(join(bytesDir, 'create.json'), created);
    writeFileSync(join(bytesDir, 'schedule.json'), one);
    writeFileSync(join(bytesDir, 'periods.json'), periods);
    bare = await startBareFastify(bytesDir);

    log('http: POST /v0/billingSchedules');
    if (profileFile) service.process.send('start');
    const create = await load(
      {
        url: `${service.url}/v0/billingSchedules`,
        method: 'POST',
        headers,
        body: createBody,
        status: 201,
      },
      seconds,
    );
    if (profileFile) {
      const written = new Promise((resolve) => service!.process.once('message', resolve));
      service.process.send('stop');
      await written;
    }
    const parse = await load(
      { url: `${bare.url}/parse`, method: 'POST', headers, body: createBody, status: 201 },
      seconds,
    );
    log('http: GET /v0/billingSchedules/{id}');
    const get = await load(
      { url: `${service.url}/v0/billingSchedules/${id}`, headers, status: 200 },
      seconds,
    );
    const getBare = await load({ url: `${bare.url}/bytes/schedule`, status: 200 }, seconds);
    log('http: GET /v0/billingSchedules/{id}/periods');
    const list = await load(
      { url: `${service.url}/v0/billingSchedules/${id}/periods`, headers, status: 200 },
      seconds,
    );
    const listBare = await load({ url: `${bare.url}/bytes/periods`, status: 200 }, seconds);

    const rows = [
      measured({
        name: 'POST /v0/billingSchedules',
        value: speed(create),
        baseline: `bare Fastify route parsing the same body: ${speed(parse)}`,
        ratio: create.requestsPerSecond / parse.requestsPerSecond,
        target: '≥ 0.15, p99 < 50 ms',
        met: create.requestsPerSecond / parse.requestsPerSecond >= 0.15 && create.p99 < 50,
        figures: figures(create, parse),
      }),
      measured({
        name: 'GET /v0/billingSchedules/{id}',
        value: speed(get),
        baseline: `Fastify serving the same ${fmt(one.length)} bytes: ${speed(getBare)}`,
        ratio: get.requestsPerSecond / getBare.requestsPerSecond,
        target: '≥ 0.5',
        met: get.requestsPerSecond / getBare.requestsPerSecond >= 0.5,
        figures: { ...figures(get, getBare), bytes: one.length },
      }),
      measured({
        name: 'GET …/periods (3 y monthly, 3 intervals)',
        value: speed(list),
        baseline: `Fastify serving the same ${fmt(periods.length)} bytes: ${speed(listBare)}`,
        ratio: list.requestsPerSecond / listBare.requestsPerSecond,
        target: '≥ 0.5',
        met: list.requestsPerSecond / listBare.requestsPerSecond >= 0.5,
        figures: { ...figures(list, listBare), bytes: periods.length },
      }),
    ];
    await service.stop();
    const profile =
      profileFile && existsSync(profileFile) ? summariseProfile(profileFile) : undefined;
    return { rows, emptyStartMs: service.startMs, profile };
  } finally {
    await Promise.allSettled([service?.stop(), bare?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bytesDir, { recursive: true, force: true });
  }
}

function figures(service: Load, baseline: Load): Record<string, number> {
  return {
    requestsPerSecond: service.requestsPerSecond,
    p50Ms: service.p50,
    p99Ms: service.p99,
    baselineRequestsPerSecond: baseline.requestsPerSecond,
    baselineP99Ms: baseline.p99,
  };
}
