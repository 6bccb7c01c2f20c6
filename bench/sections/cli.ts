import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { log, ROOT } from '../support/processes';
import { fmt, measured, seconds, unmeasured, type Row } from '../support/report';

export interface SeededHistory {
  /** DATA_DIR of a store holding `events` events, seeded through the service's modules. */
  dataDir: string;
  events: number;
  /** Milliseconds to read and JSON.parse the same events from a JSONL file: the baseline. */
  rawReadMs: number;
}

const EXPORT = 'export (issue 10), events/s';
const REBUILD = 'rebuild (issue 10), events/s';

/** The `billing-events` bin of package.json, if this tree has the tool (issue 10). */
function tool(): string | undefined {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    bin?: Record<string, string>;
  };
  const bin = pkg.bin?.['billing-events'];
  return bin && existsSync(join(ROOT, bin)) ? join(ROOT, bin) : undefined;
}

/** Runs the tool on the seeded store as a child process; seconds, or a one-line failure. */
function runTool(bin: string, args: string[], dataDir: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '', KAFKA_BROKERS: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (run.status !== 0) {
    throw new Error(
      `billing-events ${args[0]} exited ${run.status}: ${run.stderr.trim().split('\n').at(-1)}`,
    );
  }
  return (performance.now() - started) / 1000;
}

/**
 * Issue 10's rows: `billing-events export` (JSONL to a file) and `billing-events rebuild` on the
 * seeded store, each as a ratio to the raw read of the same events. A command the tool does
 * not have yet is reported as not available.
 */
export function cliRows(history: SeededHistory): Row[] {
  const bin = tool();
  if (!bin) {
    const reason = 'no billing-events CLI on this branch yet';
    return [
      unmeasured(EXPORT, 'not available', reason),
      unmeasured(REBUILD, 'not available', reason),
    ];
  }
  const help =
    spawnSync(process.execPath, [bin, '--help'], { cwd: ROOT, encoding: 'utf8' }).stdout ?? '';
  const has = (command: string) => new RegExp(`^\\s+${command}\\b`, 'm').test(help);
  const rawRate = history.events / (history.rawReadMs / 1000);
  const baseline = `read + JSON.parse of the same events: ${fmt(rawRate)}/s`;
  const scratch = mkdtempSync(join(tmpdir(), 'bench-export-'));
  try {
    const row = (name: string, command: string, args: string[], check?: () => void): Row => {
      if (!has(command))
        return unmeasured(name, 'not available', `billing-events has no ${command} command yet`);
      try {
        log(`cli: billing-events ${command} on ${history.events} events`);
        const elapsed = runTool(bin, [command, ...args], history.dataDir);
        check?.();
        const rate = history.events / elapsed;
        return measured({
          name,
          value: `${fmt(rate)} events/s (${seconds(elapsed)}, a child process incl. its start)`,
          baseline,
          ratio: rate / rawRate,
          target: '',
          figures: {
            events: history.events,
            seconds: elapsed,
            perSecond: rate,
            rawPerSecond: rawRate,
          },
        });
      } catch (error) {
        return unmeasured(name, 'failed', error instanceof Error ? error.message : String(error));
      }
    };
    const output = join(scratch, 'events.jsonl');
    return [
      row(EXPORT, 'export', ['--format', 'jsonl', '--output', output], () => {
        const lines = readFileSync(output, 'utf8').split('\n').filter(Boolean).length;
        if (lines !== history.events)
          throw new Error(`export wrote ${lines} of ${history.events} events`);
      }),
      row(REBUILD, 'rebuild', []),
    ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
