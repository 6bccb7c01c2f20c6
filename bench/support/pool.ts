import { performance } from 'node:perf_hooks';

export interface PoolResult {
  perSecond: number;
  p99: number;
  operations: number;
}

/**
 * `concurrency` workers call `op` back to back for `seconds` (after a warm-up of a fifth of
 * that); operations per second and the p99 latency in ms.
 */
export async function pool(
  seconds: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<PoolResult> {
  let next = 0;
  const runFor = async (ms: number, latencies: number[] | null) => {
    const until = performance.now() + ms;
    const worker = async () => {
      while (performance.now() < until) {
        const started = performance.now();
        await op(next++);
        latencies?.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  await runFor(seconds * 200, null);
  const latencies: number[] = [];
  const started = performance.now();
  await runFor(seconds * 1000, latencies);
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: (latencies.length / elapsed) * 1000,
    p99: latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] ?? NaN,
    operations: latencies.length,
  };
}

/**
 * Two sides measured in alternating slices (a, b, a, b, …), so a server that slows down or
 * speeds up meanwhile (other suites share it) weighs on both sides alike.
 */
export async function alternate(
  seconds: number,
  concurrency: number,
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
  slices = 3,
): Promise<[PoolResult, PoolResult]> {
  const runs: [PoolResult[], PoolResult[]] = [[], []];
  for (let slice = 0; slice < slices; slice++) {
    runs[0].push(await pool(seconds / slices, concurrency, a));
    runs[1].push(await pool(seconds / slices, concurrency, b));
  }
  const combine = (results: PoolResult[]): PoolResult => {
    const operations = results.reduce((n, r) => n + r.operations, 0);
    const elapsed = results.reduce((t, r) => t + r.operations / r.perSecond, 0);
    return {
      perSecond: operations / elapsed,
      p99: Math.max(...results.map((r) => r.p99)),
      operations,
    };
  };
  return [combine(runs[0]), combine(runs[1])];
}
