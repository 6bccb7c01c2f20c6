import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEnvelope } from '@app/messaging';
import type { TestApp } from '../support/test-app';
import {
  lines,
  recordActivity,
  resumeCursor,
  runCli,
  startTestApp,
  TENANT_A,
  TENANT_B,
} from './support/cli';

/** Issue 10: `billing-events export` and `query` on the embedded store, as a child process. */
jest.setTimeout(120_000);

describe('billing-events export and query (embedded store)', () => {
  let app: TestApp;
  let out: string;
  const env = () => ({ DATA_DIR: app.dataDir });

  /** GET /v0/events paged to the end for the filter, as the tenant with `key`. */
  async function feed(key: string, query: Record<string, string | string[]> = {}) {
    const events: EventEnvelope[] = [];
    let after: string | undefined;
    for (;;) {
      const res = await app
        .http()
        .get('/v0/events')
        .query({ limit: '7', ...query, ...(after ? { after } : {}) })
        .set(app.auth(key))
        .expect(200);
      events.push(...res.body.data);
      after = res.body.nextCursor;
      if (!res.body.hasMore) return events;
    }
  }

  const FILTERS = {
    types: { type: ['BillingScheduleCreated', 'ScheduleInvoicesGenerated'] },
    window: { from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' },
  };
  let expected: Record<'all' | 'types' | 'window' | 'tenantB', EventEnvelope[]>;
  let stream: { id: string; events: EventEnvelope[] };

  beforeAll(async () => {
    app = await startTestApp();
    out = await mkdtemp(join(tmpdir(), 'billing-cli-'));
    await recordActivity(app, ['a', 'b', 'c', 'd', 'e']);
    const all = await feed(TENANT_A.key);
    const streamId = all[0].streamId;
    expected = {
      all,
      types: await feed(TENANT_A.key, FILTERS.types),
      window: await feed(TENANT_A.key, FILTERS.window),
      tenantB: await feed(TENANT_B.key),
    };
    stream = { id: streamId, events: await feed(TENANT_A.key, { streamId }) };
    // The embedded store is one process's: the tool opens it once the API has stopped.
    await app.close();
  }, 120_000);

  afterAll(async () => {
    await app?.destroy();
    await rm(out, { recursive: true, force: true });
  });

  const jsonl = (text: string) => lines(text).map((line) => JSON.parse(line) as EventEnvelope);

  it('exports JSONL equal to the feed paged to the end, for each filter', async () => {
    expect(expected.types.length).toBeGreaterThan(0);
    expect(expected.types.length).toBeLessThan(expected.all.length);
    const cases: [string[], EventEnvelope[]][] = [
      [['--tenant', TENANT_A.tenant], expected.all],
      [
        [
          '--tenant',
          TENANT_A.tenant,
          '--type',
          'BillingScheduleCreated',
          '--type',
          'ScheduleInvoicesGenerated',
        ],
        expected.types,
      ],
      [
        ['--tenant', TENANT_A.tenant, '--from', FILTERS.window.from, '--to', FILTERS.window.to],
        expected.window,
      ],
      [['--tenant', TENANT_A.tenant, '--stream', stream.id], stream.events],
      [['--tenant', TENANT_B.tenant, '--batch-size', '3'], expected.tenantB],
    ];
    for (const [args, events] of cases) {
      const run = await runCli(['export', ...args], env());
      expect(run.code).toBe(0);
      expect(jsonl(run.stdout)).toEqual(events);
      expect(lines(run.stderr).at(-1)).toMatch(
        new RegExp(`^exported ${events.length} events to stdout .*; resume with --after \\S+$`),
      );
    }
  });

  it('writes JSONL to --output, and every tenant’s events without --tenant', async () => {
    const file = join(out, 'all.jsonl');
    const run = await runCli(['export', '--output', file], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const events = jsonl(await readFile(file, 'utf8'));
    expect(events.filter((e) => e.tenantId === TENANT_A.tenant)).toEqual(expected.all);
    expect(events.filter((e) => e.tenantId === TENANT_B.tenant)).toEqual(expected.tenantB);
    expect(events).toHaveLength(expected.all.length + expected.tenantB.length);
  });

  it.each(['csv', 'parquet'])(
    'exports %s that DuckDB reads back as the feed’s envelopes, event for event',
    async (format) => {
      const file = join(out, `types.${format}`);
      const run = await runCli(
        [
          'export',
          '--format',
          format,
          '--output',
          file,
          '--tenant',
          TENANT_A.tenant,
          '--type',
          'BillingScheduleCreated',
          '--type',
          'ScheduleInvoicesGenerated',
        ],
        env(),
      );
      expect(run.code).toBe(0);
      const reader =
        format === 'csv'
          ? `read_csv('${file}', header = true, all_varchar = true)`
          : `read_parquet('${file}')`;
      expect(await readBack(reader)).toEqual(expected.types);
    },
  );

  it('writes parquet to stdout when --output is absent', async () => {
    const run = await runCli(['export', '--format', 'parquet', '--tenant', TENANT_B.tenant], env());
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('PAR1')).toBe(true);
  });

  it('an export interrupted by Ctrl-C and resumed with --after equals an uninterrupted one', async () => {
    const whole = await runCli(['export', '--tenant', TENANT_A.tenant], env());
    let signalled = false;
    // --rate keeps the export slow enough to interrupt after its first progress line.
    const first = await runCli(
      ['export', '--tenant', TENANT_A.tenant, '--rate', '20', '--batch-size', '5'],
      env(),
      (stderr, child) => {
        if (!signalled && /^export: read/m.test(stderr)) {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(first.code).toBe(130);
    expect(lines(first.stderr).at(-1)).toMatch(
      /^interrupted: exported \d+ events to stdout; resume with --after \S+$/,
    );
    const part = jsonl(first.stdout);
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThan(expected.all.length);
    const rest = await runCli(
      ['export', '--tenant', TENANT_A.tenant, '--after', resumeCursor(first.stderr)],
      env(),
    );
    expect(rest.code).toBe(0);
    expect([...part, ...jsonl(rest.stdout)]).toEqual(jsonl(whole.stdout));
    expect(jsonl(whole.stdout)).toEqual(expected.all);
  });

  it('resuming with the final cursor exports nothing, and later exactly what was appended since', async () => {
    const run = await runCli(
      [
        'export',
        '--tenant',
        TENANT_A.tenant,
        '--after',
        resumeCursor((await runCli(['export', '--tenant', TENANT_A.tenant], env())).stderr),
      ],
      env(),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
  });

  it('answers a count by type that equals the store’s counts, as a table, CSV and JSON', async () => {
    const counts = new Map<string, number>();
    for (const event of [...expected.all, ...expected.tenantB]) {
      counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
    }
    const sql = 'select type, count(*) as events from events group by type order by type';
    const json = await runCli(['query', '--format', 'json', sql], env());
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(
      [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, events]) => ({ type, events })),
    );
    const csv = await runCli(['query', '--format', 'csv', sql], env());
    expect(lines(csv.stdout)).toEqual([
      'type,events',
      ...[...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, n]) => `${type},${n}`),
    ]);
    const table = await runCli(['query', sql], env());
    expect(table.code).toBe(0);
    const rows = lines(table.stdout);
    expect(rows[0]).toMatch(/^type\s+events$/);
    expect(rows.at(-1)).toBe(`(${counts.size} rows)`);
    for (const [type, n] of counts)
      expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${type}\\s+${n}$`)));
  });

  it('stats counts events by type and tenant, streams and the time span; lags are n/a here', async () => {
    const all = [...expected.all, ...expected.tenantB];
    const count = (key: (e: EventEnvelope) => string) => {
      const counts: Record<string, number> = {};
      for (const event of all) counts[key(event)] = (counts[key(event)] ?? 0) + 1;
      return counts;
    };
    const run = await runCli(['stats', '--format', 'json'], env());
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout);
    const recorded = all.map((e) => e.recordedAt).sort();
    expect(stats).toMatchObject({
      events: all.length,
      streams: new Set(all.map((e) => e.streamId)).size,
      firstRecordedAt: recorded[0],
      lastRecordedAt: recorded.at(-1),
      relayLag: { notApplicable: expect.stringContaining('KAFKA_BROKERS') },
      projectorLag: { notApplicable: expect.stringContaining('MONGODB_URI') },
    });
    expect(stats.byType).toEqual(count((e) => e.type));
    expect(stats.byTenant).toEqual(count((e) => e.tenantId));
    const text = await runCli(['stats'], env());
    expect(text.stdout).toMatch(new RegExp(`^events\\s+${all.length}$`, 'm'));
    expect(text.stdout).toMatch(/^relay lag \(events\)\s+n\/a \(/m);
  });

  it('query --tenant loads only that tenant’s events', async () => {
    const run = await runCli(
      [
        'query',
        '--tenant',
        TENANT_B.tenant,
        '--format',
        'json',
        'select count(*) as n, count(distinct tenantId) as tenants from events',
      ],
      env(),
    );
    expect(JSON.parse(run.stdout)).toEqual([{ n: expected.tenantB.length, tenants: 1 }]);
  });
});

/** Rows of a CSV or Parquet export as envelopes (data and metadata parsed from JSON text). */
async function readBack(from: string): Promise<EventEnvelope[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`select * from ${from}`);
    return reader.getRowObjectsJson().map((row) => ({
      id: String(row.id),
      type: String(row.type),
      schemaVersion: Number(row.schemaVersion),
      streamId: String(row.streamId),
      streamType: String(row.streamType),
      version: Number(row.version),
      tenantId: String(row.tenantId),
      occurredAt: String(row.occurredAt),
      recordedAt: String(row.recordedAt),
      data: JSON.parse(String(row.data)),
      metadata: JSON.parse(String(row.metadata)),
    }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
