import { spawnSync } from 'node:child_process';
import type { TestApp } from '../support/test-app';
import {
  CLI_COMMAND,
  cliEnv,
  lines,
  recordActivity,
  ROOT,
  runCli,
  startTestApp,
  TENANT_A,
} from './support/cli';

/** Issue 10, item 7 and `--help`: the real tool as a child process, on the embedded store. */
jest.setTimeout(120_000);

describe('billing-events errors, progress and help', () => {
  let app: TestApp;
  const env = () => ({ DATA_DIR: app.dataDir });

  beforeAll(async () => {
    app = await startTestApp();
    await recordActivity(app, ['a', 'b']);
    await app.close();
  }, 120_000);
  afterAll(() => app?.destroy());

  const errorCases: [string, string[], () => NodeJS.ProcessEnv, RegExp][] = [
    ['an unknown option', ['export', '--fromm', 'x'], () => env(), /unknown option '--fromm'/],
    ['an unknown command', ['exprot'], () => env(), /unknown command 'exprot'/],
    ['a bad --format', ['export', '--format', 'xml'], () => env(), /--format/],
    [
      'a bad --type',
      ['export', '--type', 'Nope'],
      () => env(),
      /--type "Nope" is not an event type/,
    ],
    [
      'a bad --from',
      ['export', '--from', 'yesterday'],
      () => env(),
      /--from "yesterday" is not an instant/,
    ],
    [
      '--to before --from',
      ['export', '--from', '2024-02-01T00:00:00Z', '--to', '2024-01-01T00:00:00Z'],
      () => env(),
      /--to must not be before --from/,
    ],
    [
      'a made-up cursor',
      ['export', '--after', 'nonsense'],
      () => env(),
      /--after "nonsense" is not a cursor/,
    ],
    [
      'a cursor past the end',
      ['export', '--after', 'ZmVlZDo5OTk5OTk'],
      () => env(),
      /--after is past the end of the event log/,
    ],
    [
      'a bad --rate',
      ['replay', '--to-topic', 't', '--rate', '0'],
      () => env(),
      /--rate must be a whole number/,
    ],
    ['replay without --to-topic', ['replay'], () => env(), /--to-topic/],
    [
      'replay without KAFKA_BROKERS',
      ['replay', '--to-topic', 't'],
      () => env(),
      /replay needs KAFKA_BROKERS/,
    ],
    [
      'bad SQL',
      ['query', 'select nope from nowhere'],
      () => env(),
      /^billing-events: query failed: /,
    ],
    [
      'an unknown tenant',
      ['export', '--tenant', 'merchant_nobody'],
      () => env(),
      /unknown tenant "merchant_nobody"/,
    ],
    [
      'an unknown tenant (query)',
      ['query', '--tenant', 'merchant_nobody', 'select 1'],
      () => env(),
      /unknown tenant/,
    ],
    [
      'a missing DATA_DIR',
      ['stats'],
      () => ({ DATA_DIR: '/nonexistent/billing-data' }),
      /no event store at DATA_DIR/,
    ],
    [
      'an unreachable MongoDB',
      ['stats'],
      () => ({ MONGODB_URI: 'mongodb://127.0.0.1:1' }),
      /cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1/,
    ],
    [
      'an unwritable --output',
      ['export', '--output', '/nonexistent/dir/x.jsonl'],
      () => env(),
      /cannot write --output/,
    ],
  ];

  it.each(errorCases)(
    '%s: one line on stderr, exit code ≠ 0, no stack trace',
    async (_name, args, makeEnv, message) => {
      const run = await runCli(args, makeEnv());
      expect(run.code).not.toBe(0);
      expect(run.code).not.toBeNull();
      expect(lines(run.stderr)).toHaveLength(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).toBe('');
    },
  );

  it('an unreachable broker: one line, exit code ≠ 0', async () => {
    const run = await runCli(['replay', '--to-topic', 'replayed'], {
      ...env(),
      KAFKA_BROKERS: '127.0.0.1:1',
    });
    expect(run.code).not.toBe(0);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(/^billing-events: cannot reach Kafka at 127\.0\.0\.1:1: /),
    ]);
  });

  it('reads and rebuilds beside the running API, which keeps answering and sees the rebuilt read models', async () => {
    const running = await startTestApp({ dataDir: app.dataDir });
    try {
      const list = () =>
        running.http().get('/v0/billingSchedules?limit=100').set(running.auth()).expect(200);
      const before = (await list()).body;
      const stats = await runCli(['stats', '--format', 'json'], env());
      expect(stats.code).toBe(0);
      expect(JSON.parse(stats.stdout).events).toBeGreaterThan(0);
      let reading = true;
      const statuses: number[] = [];
      const reader = (async () => {
        while (reading)
          statuses.push(
            (await running.http().get('/v0/billingSchedules').set(running.auth())).status,
          );
      })();
      const rebuild = await runCli(['rebuild'], env());
      reading = false;
      await reader;
      expect(rebuild.code).toBe(0);
      expect(rebuild.stdout).toMatch(
        /^rebuilt the read models in the embedded database from \d+ events/,
      );
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      expect((await list()).body).toEqual(before);
    } finally {
      await running.close();
    }
  });

  it.each(['export', 'query', 'replay', 'stats', 'rebuild'])(
    '%s --help shows the options and examples',
    async (command) => {
      const run = await runCli([command, '--help'], env());
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: billing-events ${command} `));
      expect(run.stdout).toMatch(/Examples:\n\s+\$ billing-events /);
    },
  );

  it('--help lists every command', async () => {
    const run = await runCli(['--help'], {});
    expect(run.code).toBe(0);
    for (const command of ['export', 'query', 'replay', 'rebuild', 'stats']) {
      expect(run.stdout).toMatch(new RegExp(`^\\s+${command} `, 'm'));
    }
  });

  it('shows plain progress lines without a terminal', async () => {
    const run = await runCli(
      ['export', '--tenant', TENANT_A.tenant, '--output', '/dev/null'],
      env(),
    );
    expect(run.code).toBe(0);
    const progress = lines(run.stderr).filter((line) => line.startsWith('export: '));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatch(/^export: read (\d+)\/\1 \(\d+\/s\), \d+ exported$/);
    expect(run.stderr).not.toContain('\r');
    expect(run.stderr).not.toContain('█');
  });

  it('shows a progress bar with count, rate and ETA in a terminal', () => {
    // util-linux `script` runs the tool in a pseudo-terminal and copies what it draws.
    const run = spawnSync(
      'script',
      ['-qec', `${CLI_COMMAND} export --tenant ${TENANT_A.tenant} --output /dev/null`, '/dev/null'],
      { cwd: ROOT, env: cliEnv(env()), encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/export \|[█░]+\| \d+\/\d+ read \| \d+ exported \| \d+\/s \| ETA /);
    expect(run.stdout).not.toMatch(/^export: read/m);
  });
});
