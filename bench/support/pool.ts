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
