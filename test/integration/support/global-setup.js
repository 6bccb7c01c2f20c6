/**
 * Brings Kafka (127.0.0.1:9092) and FerretDB (127.0.0.1:27017) up through the project's own
 * script before the integration suites; idempotent and fast when they already run. up.sh records
 * which servers this run started (INFRA_STARTED_FILE), and global-teardown.js stops exactly those:
 * servers that were already running (another checkout's, `npm run infra:up`) are left alone.
 */
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..', '..', '..');

module.exports = async function globalSetup() {
  const started = Date.now();
  const recordDir = mkdtempSync(join(tmpdir(), 'billing-infra-started-'));
  const recordFile = join(recordDir, 'started');
  const up = spawnSync('bash', ['scripts/infra/up.sh'], {
    cwd: root,
    encoding: 'utf8',
    stdio: 'pipe',
    env: { ...process.env, INFRA_STARTED_FILE: recordFile },
  });
  let startedServers = [];
  try {
    startedServers = readFileSync(recordFile, 'utf8').split('\n').filter(Boolean);
  } catch {
    // nothing started: both already answered
  }
  rmSync(recordDir, { recursive: true, force: true });
  // Read by global-teardown.js (globalSetup and globalTeardown share this process's globals).
  globalThis.__INFRA_STARTED_BY_TESTS__ = startedServers;
  process.stderr.write(
    `\n[integration] infra:up (${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `started: ${startedServers.join(', ') || 'none, already running'})\n${up.stdout}`,
  );
  if (up.status !== 0) {
    // Jest runs no globalTeardown after a failed globalSetup: stop what did start here.
    if (startedServers.length > 0) {
      spawnSync('bash', ['scripts/infra/down.sh', ...startedServers], { cwd: root, stdio: 'pipe' });
    }
    throw new Error(`scripts/infra/up.sh failed (exit ${up.status}):\n${up.stdout}\n${up.stderr}`);
  }
};
