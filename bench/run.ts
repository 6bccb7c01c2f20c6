/**
 * `npm run bench [-- --quick] [-- --profile]`: the service against the raw substrate it is built
 * on, every figure next to a baseline measured in the same run on the same machine, as ONE
 * table on stdout and bench/results.json. Progress goes to stderr. See bench/README.md.
 */
import 'reflect-metadata';
process.env.LOG_LEVEL = 'silent';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { engineRows } from './sections/engine';
import { historyRows, type HistoryScale } from './sections/history';
import { httpRows } from './sections/http';
import { embeddedAppendRow, mongoAppendRow, relayRow } from './sections/stores';
import { buildService, log } from './support/processes';
import { fmt, machine, ms, table, unmeasured, writeResults, type Row } from './support/report';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const profile = args.has('--profile');

interface Scale {
  /** Seconds of measured load per HTTP side and per store side. */
  seconds: number;
  engineSchedules: number;
  history: HistoryScale;
}

const FULL: Scale = {
  seconds: 10,
  engineSchedules: 10_000,
  history: { events: 100_000, schedules: 100_000, smallTask: 10_000 },
};
/** Under 2 minutes on a shared 2-CPU machine with the file store's one sync per append. */
const QUICK: Scale = {
  seconds: 2,
  engineSchedules: 300,
  history: { events: 3_000, schedules: 3_000, smallTask: 300 },
};

/** A section that throws is reported as failed (the run then exits non-zero), never hidden. */
async function section(names: string[], run: () => Promise<Row[]> | Row[]): Promise<Row[]> {
  try {
    return await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    log(`FAILED ${names.join(', ')}: ${error instanceof Error ? error.stack : error}`);
    return names.map((name) => unmeasured(name, 'failed', reason));
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const scale = quick ? QUICK : FULL;
  const label = quick ? ` [quick: ${fmt(scale.history.schedules)}, not 100,000]` : '';
  const notes: string[] = [];
  buildService();

  const profileDir = profile ? mkdtempSync(join(tmpdir(), 'bench-profile-')) : undefined;
  const rows: Row[] = [];
  rows.push(
    ...(await section(
      ['POST /v0/billingSchedules', 'GET /v0/billingSchedules/{id}', 'GET …/periods'],
      async () => {
        const http = await httpRows(
          scale.seconds,
          profileDir && join(profileDir, 'create.cpuprofile'),
        );
        notes.push(`service start on an empty store: ${ms(http.emptyStartMs)} to ready`);
        if (http.profile) notes.push(http.profile);
        return http.rows;
      },
    )),
  );
  rows.push(...(await section(['period engine'], () => engineRows(scale.engineSchedules))));
  rows.push(
    ...(await section(['start / RSS / billing-period task'], () =>
      historyRows(scale.history, label),
    )),
  );
  rows.push(
    ...(await section(['embedded append'], async () => [await embeddedAppendRow(scale.seconds)])),
  );
  rows.push(
    ...(await section(['MongoDB append'], async () => [await mongoAppendRow(scale.seconds)])),
  );
  rows.push(...(await section(['relay'], async () => [await relayRow(scale.seconds)])));
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });

  const wallSeconds = (performance.now() - started) / 1000;
  console.log('');
  console.log(
    `${machine()}; ${quick ? 'QUICK run (scaled down)' : 'full run'}; HTTP load: autocannon, 50 connections, ${scale.seconds} s per side`,
  );
  console.log(
    'ratio = service ÷ baseline as speeds (for times: baseline time ÷ service time); 1.0 = as fast as the raw substrate',
  );
  console.log('');
  console.log(table(rows));
  console.log('');
  for (const note of notes) console.log(note);
  console.log(`wall time ${wallSeconds.toFixed(1)} s`);
  // The committed results.json is a full run's; a quick run writes beside it (bench/.gitignore).
  writeResults(
    join(__dirname, quick ? 'results.quick.json' : 'results.json'),
    {
      mode: quick ? 'quick' : 'full',
      scale: {
        loadSeconds: scale.seconds,
        engineSchedules: scale.engineSchedules,
        ...scale.history,
      },
      wallSeconds,
      notes,
    },
    rows,
  );
  return rows.some((row) => row.status === 'failed') ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything was closed; a driver's stray timer must not keep the run alive.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
