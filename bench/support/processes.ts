import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from '../../test/support/service-process';

export const ROOT = join(__dirname, '..', '..');
export const SERVICE_MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/**
 * `npx nest build api` once per run, so the child is the service as `npm start` runs it;
 * skipped when dist/ is newer than every source file (e.g. CI's `npm start` just built it).
 */
export function buildService(): void {
  const built = statSync(SERVICE_MAIN, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = ['apps', 'libs'].flatMap((top) =>
    readdirSync(join(ROOT, top), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => statSync(join(ROOT, top, file)).mtimeMs),
  );
  if (built > Math.max(...sources, statSync(join(ROOT, 'package-lock.json')).mtimeMs)) {
    log('dist/ is newer than every source: not rebuilding');
    return;
  }
  log('building the service (npx nest build api)');
  execFileSync('npx', ['nest', 'build', 'api'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export interface Child {
  process: ChildProcess;
  pid: number;
  url: string;
  /** Milliseconds from spawn until /health/ready answered 200 (service) or the port opened. */
  startMs: number;
  output: () => string;
  stop: () => Promise<void>;
}

interface SpawnOptions {
  env: Record<string, string>;
  nodeArgs?: string[];
  /** The path that answers 200 once the process is ready. */
  readyPath: string;
  timeoutMs?: number;
  /**
   * Printed by the child once it listens. Other engineers' servers come and go on this
   * machine's ports: a 200 counts only after our child said it listens on the port we gave it.
   */
  readyLine: string;
  /** An IPC channel to the child (the CPU profiler's switch). */
  ipc?: boolean;
}

async function spawnReady(script: string, options: SpawnOptions): Promise<Child> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    cwd: ROOT,
    env: { ...process.env, ...options.env, PORT: String(port) },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${script} exited before it was ready:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${script} was not ready in time:\n${output}`);
    }
    const listening = output.includes(options.readyLine);
    const status = !listening
      ? 0
      : await fetch(`${url}${options.readyPath}`).then(
          (res) => res.status,
          () => 0,
        );
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    process: child,
    pid: child.pid!,
    url,
    startMs: performance.now() - started,
    output: () => output,
    stop,
  };
}

/**
 * The built service as its own process on the embedded store in `dataDir`, with the
 * development key it keeps there. The periodic task is off; the per-tenant rate limit is
 * lifted (the bench measures the service, not its limiter).
 */
export async function startService(
  dataDir: string,
  options: { nodeArgs?: string[]; env?: Record<string, string>; ipc?: boolean } = {},
): Promise<Child & { key: string }> {
  const child = await spawnReady(SERVICE_MAIN, {
    nodeArgs: options.nodeArgs,
    ipc: options.ipc,
    readyPath: '/health/ready',
    readyLine: 'Development key:',
    timeoutMs: 300_000,
    env: {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      BILLING_PERIOD_UPDATE_INTERVAL: '0',
      RATE_LIMIT_PER_MINUTE: String(Number.MAX_SAFE_INTEGER),
      MONGODB_URI: '',
      KAFKA_BROKERS: '',
      API_KEYS: '',
      ...options.env,
    },
  });
  const key = readFileSync(join(dataDir, 'development-api-key'), 'utf8').trim();
  return { ...child, key };
}

/** The bare Fastify substrate (bench/substrate/bare-fastify.ts), serving the files in `bytesDir`. */
export function startBareFastify(bytesDir: string): Promise<Child> {
  return spawnReady(join(ROOT, 'bench', 'substrate', 'bare-fastify.ts'), {
    nodeArgs: ['-r', '@swc-node/register'],
    readyPath: '/ready',
    readyLine: 'bare Fastify listening',
    env: { BYTES_DIR: bytesDir },
  });
}

/** Resident and peak resident set size of a process, in bytes (Linux /proc). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}
