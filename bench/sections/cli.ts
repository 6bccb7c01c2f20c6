import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/processes';
import { unmeasured, type Row } from '../support/report';

export interface SeededHistory {
  /** DATA_DIR of a store holding `events` events, seeded through the service's modules. */
  dataDir: string;
  events: number;
  /** Milliseconds to read and JSON.parse the same events from a JSONL file: the baseline. */
  rawReadMs: number;
}

const EXPORT = 'export (issue 10), events/s';
const REBUILD = 'rebuild (issue 10), events/s';

/**
 * Issue 10's rows: `billing-events export` and `billing-events rebuild` on the seeded store,
 * each as a ratio to the raw read of the same events. Not available until the tool exists.
 *
 * TODO(issue 10, integrator): once package.json has the `billing-events` bin, run
 * `billing-events export --format jsonl --output <tmp>` and `billing-events rebuild` as child
 * processes with DATA_DIR=history.dataDir, time each, and report history.events / seconds
 * against history.events / (history.rawReadMs / 1000).
 */
export function cliRows(history: SeededHistory): Row[] {
  void history;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    bin?: Record<string, string>;
  };
  const reason = pkg.bin?.['billing-events']
    ? 'the billing-events CLI exists but is not wired into the bench yet (bench/sections/cli.ts)'
    : 'no billing-events CLI on this branch yet';
  return [
    unmeasured(EXPORT, 'not available', reason),
    unmeasured(REBUILD, 'not available', reason),
  ];
}
