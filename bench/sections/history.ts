import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEVELOPMENT_TENANT } from '../../apps/api/src/bootstrap';
import { scheduleShape } from '../support/fixtures';
import { log, memoryOf, startService, type Child } from '../support/processes';
import { fmt, mib, ms, measured, seconds, type Row } from '../support/report';
import { seedSchedules, type SeedGroup } from '../support/seed';
import { cliRows } from './cli';

export interface HistoryScale {
  /** Events in the store for the start row. */
  events: number;
  /** Schedules stored (and due) for the RSS row and the large task run. */
  schedules: number;
  /** Due schedules of the small task run. */
  smallTask: number;
}

const MiB = 2 ** 20;
/** Every seeded schedule is created, given its intervals and activated: three events. */
const EVENTS_PER_SCHEDULE = 3;

/**
 * Start, memory and the billing-period task on a store seeded through the service's own
 * modules. `smallTask` schedules start on 2024-01-01 and the rest on 2024-02-01 (monthly,
 * anchored on their start), so the task as of 2024-02-10 finds exactly the first group due
 * (one period each), and as of 2024-03-10 every schedule (again one period each).
 */
export async function historyRows(scale: HistoryScale, label: string): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-history-'));
  const scratch = mkdtempSync(join(tmpdir(), 'bench-raw-'));
  const early: SeedGroup = {
    count: scale.smallTask,
    shape: scheduleShape('2024-01-01T00:00:00Z'),
    activate: true,
  };
  const late: SeedGroup = {
    count: scale.schedules - scale.smallTask,
    shape: scheduleShape('2024-02-01T00:00:00Z'),
    activate: true,
  };
  const firstSchedules = Math.ceil(scale.events / EVENTS_PER_SCHEDULE);
  let service: Child | undefined;
  try {
    log(`history: seeding ${firstSchedules} schedules for the start row`);
    const rawLog = join(scratch, 'events.jsonl');
    const [firstGroups, restGroups] = split([early, late], firstSchedules);
    const first = await seedSchedules(dataDir, DEVELOPMENT_TENANT, firstGroups, rawLog);
    log(`  ${first.events} events in ${seconds(first.seconds)}`);
    const rawStarted = performance.now();
    let parsed = 0;
    for (const line of readFileSync(rawLog, 'utf8').split('\n')) {
      if (line) parsed += (JSON.parse(line) as object) ? 1 : 0;
    }
    const rawMs = performance.now() - rawStarted;
    if (parsed !== first.events)
      throw new Error(`raw log holds ${parsed} of ${first.events} events`);
    const toolRows = cliRows({ dataDir, events: first.events, rawReadMs: rawMs });
    service = await startService(dataDir);
    const startMs = service.startMs;
    const startRss = memoryOf(service.pid).rss;
    await service.stop();

    log(`history: seeding up to ${scale.schedules} schedules`);
    const rest = await seedSchedules(
      dataDir,
      DEVELOPMENT_TENANT,
      restGroups,
      join(scratch, 'rest.jsonl'),
    );
    log(`  ${rest.events} more events in ${seconds(rest.seconds)}`);
    const running = await startService(dataDir);
    service = running;
    const storedRss = memoryOf(running.pid).rss;
    log(`history: billing-period task, ${scale.smallTask} due`);
    const small = await runTask(running, '2024-02-10T00:00:00Z', scale.smallTask);
    log(`history: billing-period task, ${scale.schedules} due`);
    const large = await runTask(running, '2024-03-10T00:00:00Z', scale.schedules);
    const peak = memoryOf(running.pid).peak;

    const ratio = large.rate / small.rate;
    return [
      measured({
        name: `start with ${fmt(first.events)} events${label}`,
        value: `${ms(startMs)} to ready, RSS ${mib(startRss)}`,
        baseline: `read + JSON.parse of the same events: ${ms(rawMs)}`,
        ratio: rawMs / startMs,
        target: '< 1 s',
        met: startMs < 1000,
        figures: { events: first.events, startMs, rssBytes: startRss, rawReadParseMs: rawMs },
      }),
      measured({
        name: `RSS with ${fmt(scale.schedules)} schedules stored${label}`,
        value: `${mib(storedRss)} (after start: ${ms(running.startMs)})`,
        baseline: '—',
        ratio: null,
        target: '< 250 MiB',
        met: storedRss < 250 * MiB,
        figures: { schedules: scale.schedules, rssBytes: storedRss, startMs: running.startMs },
      }),
      measured({
        name: `billing-period task, ${fmt(scale.smallTask)} due${label}`,
        value: `${fmt(small.rate)} schedules/s (${seconds(small.seconds)}), peak RSS ${mib(small.peak)}`,
        baseline: '—',
        ratio: null,
        target: '',
        figures: {
          due: scale.smallTask,
          perSecond: small.rate,
          seconds: small.seconds,
          peakRssBytes: small.peak,
        },
      }),
      measured({
        name: `billing-period task, ${fmt(scale.schedules)} due${label}`,
        value: `${fmt(large.rate)} schedules/s (${seconds(large.seconds)}), peak RSS ${mib(peak)}`,
        baseline: `rate at ${fmt(scale.smallTask)}: ${fmt(small.rate)}/s`,
        ratio,
        target: '≥ 0.9; 100k < 30 s, peak < 400 MiB',
        // The 30 s target is for 100,000 schedules; a scaled run is held to the same rate.
        met: ratio >= 0.9 && large.seconds < (30 * scale.schedules) / 100_000 && peak < 400 * MiB,
        figures: {
          due: scale.schedules,
          perSecond: large.rate,
          seconds: large.seconds,
          peakRssBytes: peak,
        },
      }),
      ...toolRows,
    ];
  } finally {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The groups' first `count` schedules, and the rest. */
function split(groups: SeedGroup[], count: number): [SeedGroup[], SeedGroup[]] {
  const head: SeedGroup[] = [];
  const tail: SeedGroup[] = [];
  let left = count;
  for (const group of groups) {
    const taken = Math.min(left, group.count);
    if (taken > 0) head.push({ ...group, count: taken });
    if (group.count > taken) tail.push({ ...group, count: group.count - taken });
    left -= taken;
  }
  return [head, tail];
}

interface TaskRun {
  rate: number;
  seconds: number;
  peak: number;
}

/** POST the task endpoint as of `asOf` (no client timeout: a slow run is a figure, not an error). */
async function runTask(
  service: Child & { key: string },
  asOf: string,
  due: number,
): Promise<TaskRun> {
  const started = performance.now();
  const body = JSON.stringify({ asOf });
  const answer = await new Promise<string>((resolve, reject) => {
    const req = request(
      `${service.url}/v1/tasks/scheduled/schedule-update-billing-period`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${service.key}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(text)
            : reject(new Error(`task: ${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  const elapsed = (performance.now() - started) / 1000;
  const result = JSON.parse(answer) as {
    schedulesScanned: number;
    periodsClosed: number;
    schedulesFailed: number;
  };
  if (
    result.schedulesScanned !== due ||
    result.periodsClosed !== due ||
    result.schedulesFailed !== 0
  ) {
    throw new Error(`task as of ${asOf} expected ${due} due schedules, one period each: ${answer}`);
  }
  return { rate: due / elapsed, seconds: elapsed, peak: memoryOf(service.pid).peak };
}
