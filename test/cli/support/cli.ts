import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  startTestApp,
  TENANT_A,
  TENANT_B,
  scheduleBody,
  intervalBody,
  associateEdit,
  type TestApp,
} from '../../support/test-app';

export const ROOT = join(__dirname, '..', '..', '..');
const ENTRY = 'apps/cli/src/main.ts';
/** The tool as its users run it, from source (the bin runs the same module built). */
export const CLI_COMMAND = `node -r @swc-node/register -r tsconfig-paths/register ${ENTRY}`;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The service's environment cleared of anything that would point the tool elsewhere. */
export function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const name of [
    'MONGODB_URI',
    'MONGODB_DB',
    'KAFKA_BROKERS',
    'KAFKA_TOPIC',
    'DATA_DIR',
    'API_KEYS',
  ]) {
    delete base[name];
  }
  return { ...base, TS_NODE_PROJECT: 'tsconfig.json', LOG_LEVEL: 'silent', ...env };
}

/**
 * Runs `billing-events <args>` as a child process. `onStderr` sees stderr as it arrives (to
 * send a signal at the right moment).
 */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  onStderr?: (soFar: string, child: ReturnType<typeof spawn>) => void,
): Promise<CliRun> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', ENTRY, ...args],
    { cwd: ROOT, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    onStderr?.(stderr, child);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** stderr's non-empty lines. */
export const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/** The cursor from the tool's closing line `…; resume with --after <cursor>`. */
export function resumeCursor(stderr: string): string {
  const match = /resume with --after (\S+)/.exec(stderr);
  if (!match) throw new Error(`no resume cursor in: ${stderr}`);
  return match[1];
}

/**
 * Realistic history through the API: per label a schedule with intervals, metadata, staged
 * invoices and activation, a deleted schedule, and an account-schedule edit.
 */
export async function recordActivity(
  app: Pick<TestApp, 'http' | 'auth'>,
  labels: string[],
): Promise<void> {
  for (const [index, label] of labels.entries()) {
    const key = index % 2 === 0 ? TENANT_A.key : TENANT_B.key;
    const create = async (orderId: string) =>
      (
        await app
          .http()
          .post('/v0/billingSchedules')
          .set(app.auth(key))
          .send(scheduleBody({ orderId }))
          .expect(201)
      ).body as { id: string };
    const schedule = await create(`ord_${label}`);
    await app
      .http()
      .put(`/v0/billingSchedules/${schedule.id}/intervals`)
      .set(app.auth(key))
      .send({ intervals: [intervalBody({ baseQuantity: String(index + 1) })] })
      .expect(200);
    await app
      .http()
      .patch(`/v0/billingSchedules/${schedule.id}`)
      .set(app.auth(key))
      .send({ metadata: { label } })
      .expect(200);
    await app
      .http()
      .post(`/v0/billingSchedules/${schedule.id}/invoices`)
      .set(app.auth(key))
      .expect(201);
    await app
      .http()
      .patch(`/v0/billingSchedules/${schedule.id}`)
      .set(app.auth(key))
      .send({ status: 'active' })
      .expect(200);
    const other = await create(`ord_${label}_other`);
    await app.http().delete(`/v0/billingSchedules/${other.id}`).set(app.auth(key)).expect(204);
    await app
      .http()
      .post(`/v2/accounts/ACC_${label}/edit_schedules`)
      .set(app.auth(key))
      .send({
        edits: [
          associateEdit({
            interval: 'MONTHLY',
            startOffset: { dayOffset: 'LAST' },
            gracePeriod: 3,
          }),
        ],
      })
      .expect((res) => expect(res.status).toBeLessThan(300));
  }
}

export { startTestApp, TENANT_A, TENANT_B };
