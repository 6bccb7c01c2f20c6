import { transformFileSync } from '@swc/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import tsconfig from '../../tsconfig.json';

export const ROOT = join(__dirname, '..', '..');

/**
 * Ports below Linux's ephemeral range (32768–60999): every in-process test server and client
 * socket gets its port from that range, so a port picked here cannot be taken by one of them
 * between the pick and the child's listen (a port the OS picked could, and a readiness probe
 * would then be answered by someone else's server).
 */
const PICK_RANGE = { from: 20_000, to: 32_000 };

/** Distinct TCP ports nothing listens on right now, outside the ephemeral range. */
export async function freePorts(count: number): Promise<number[]> {
  const picked: number[] = [];
  for (let attempt = 0; picked.length < count; attempt += 1) {
    if (attempt > 1_000) throw new Error('no free port found');
    const port = PICK_RANGE.from + Math.floor(Math.random() * (PICK_RANGE.to - PICK_RANGE.from));
    if (!picked.includes(port) && (await canListen(port))) picked.push(port);
  }
  return picked;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export const freePort = async () => (await freePorts(1))[0];

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Compiles apps/ and libs/ to JavaScript in a temp dir (as `nest build` would, with swc instead
 * of tsc so it takes a second): a start then measures the service, not the on-the-fly compiler.
 * Returns the path of the API's main.js.
 */
export function compileService(): { main: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'billing-build-'));
  const sources = ['apps', 'libs'].flatMap((top) =>
    readdirSync(join(ROOT, top), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !/\.(spec|contract)\.ts$/.test(file))
      .map((file) => join(ROOT, top, file)),
  );
  for (const source of sources) {
    const { code } = transformFileSync(source, {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: {
          legacyDecorator: true,
          decoratorMetadata: true,
          useDefineForClassFields: false,
        },
        target: 'es2022',
        baseUrl: ROOT,
        paths: tsconfig.compilerOptions.paths,
      },
      module: { type: 'commonjs' },
    });
    const target = join(dir, relative(ROOT, source)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { main: join(dir, 'apps', 'api', 'src', 'main.js'), dir };
}

/** Starts the API's compiled entry point as its own process, as `npm start` would. */
export function startService(
  main: string,
  env: NodeJS.ProcessEnv & { PORT: string },
): ServiceProcess {
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: { ...process.env, BILLING_PERIOD_UPDATE_INTERVAL: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    port: Number(env.PORT),
    url: `http://127.0.0.1:${env.PORT}`,
    output: () => output,
    exited,
  };
}

/** Polls GET /health/ready every 20 ms until it answers 200; fails if the process exits first. */
export async function waitReady(service: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: number | string | undefined;
  void service.exited.then((code) => (ended = code));
  while (Date.now() < deadline) {
    if (ended !== undefined) {
      throw new Error(`the service exited (${ended}) before it was ready:\n${service.output()}`);
    }
    const status = await fetch(`${service.url}/health/ready`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`not ready within ${timeoutMs} ms:\n${service.output()}`);
}

/** SIGKILLs the process (if still running) and waits until it is gone. */
export async function killService(
  service: ServiceProcess | undefined,
  signal: NodeJS.Signals = 'SIGKILL',
) {
  if (!service || service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill(signal);
  await service.exited;
}
