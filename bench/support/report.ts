import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

/**
 * One line of the table. `ratio` is always "service speed ÷ baseline speed" (for times: baseline
 * time ÷ service time), so 1.0 means "as fast as the raw substrate" and higher is better.
 */
export interface Row {
  name: string;
  /** The service's figure as printed, e.g. "1,234 req/s, p99 12 ms". */
  value: string;
  baseline: string;
  ratio: number | null;
  target: string;
  /** null: no target, or the row did not run. */
  met: boolean | null;
  /** Why a row has no figures (server not reachable, not available yet, failed). */
  status: 'measured' | 'skipped' | 'not available' | 'failed';
  /** The raw numbers behind `value` and `baseline`, for results.json. */
  figures: Record<string, number>;
}

export function measured(row: Omit<Row, 'status' | 'met'> & { met?: boolean | null }): Row {
  return { met: null, ...row, status: 'measured' };
}

export function unmeasured(
  name: string,
  status: Exclude<Row['status'], 'measured'>,
  reason: string,
  target = '',
): Row {
  return {
    name,
    value: `${status}: ${reason}`,
    baseline: '',
    ratio: null,
    target,
    met: null,
    status,
    figures: {},
  };
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const fmt = (n: number) => integer.format(n);
export const ms = (n: number) => `${n < 10 ? n.toFixed(1) : integer.format(n)} ms`;
export const mib = (bytes: number) => `${integer.format(bytes / 2 ** 20)} MiB`;
export const seconds = (s: number) => `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;

function cells(row: Row): string[] {
  return [
    row.name,
    row.value,
    row.baseline,
    row.ratio === null ? '—' : row.ratio.toFixed(3),
    row.target || '—',
    row.met === null ? '—' : row.met ? 'yes' : 'NO',
  ];
}

export function table(rows: readonly Row[]): string {
  const header = ['measure', 'service', 'baseline (same run)', 'ratio', 'target', 'met'];
  const body = rows.map(cells);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} CPUs (${cpu})`;
}

export function writeResults(
  path: string,
  run: { mode: string; scale: Record<string, number>; wallSeconds: number; notes: string[] },
  rows: readonly Row[],
): void {
  const document = { date: new Date().toISOString(), machine: machine(), ...run, rows };
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
}
