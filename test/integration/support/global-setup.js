/**
 * Brings Kafka (127.0.0.1:9092) and FerretDB (127.0.0.1:27017) up through the project's own
 * script before the integration suites; idempotent and fast when they already run.
 */
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  const root = join(__dirname, '..', '..', '..');
  const started = Date.now();
  const up = spawnSync('bash', ['scripts/infra/up.sh'], {
    cwd: root,
    encoding: 'utf8',
    stdio: 'pipe',
  });
  process.stderr.write(
    `\n[integration] infra:up (${((Date.now() - started) / 1000).toFixed(1)} s)\n${up.stdout}`,
  );
  if (up.status !== 0) {
    throw new Error(`scripts/infra/up.sh failed (exit ${up.status}):\n${up.stdout}\n${up.stderr}`);
  }
};
