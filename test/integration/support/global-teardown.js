/** Stops the servers global-setup.js started (none if they were already running). */
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function globalTeardown() {
  const started = globalThis.__INFRA_STARTED_BY_TESTS__ ?? [];
  if (started.length === 0) return;
  const down = spawnSync('bash', ['scripts/infra/down.sh', ...started], {
    cwd: join(__dirname, '..', '..', '..'),
    encoding: 'utf8',
    stdio: 'pipe',
  });
  process.stderr.write(`[integration] stopped what the tests started: ${started.join(', ')}\n`);
  if (down.status !== 0) {
    throw new Error(`scripts/infra/down.sh failed (exit ${down.status}):\n${down.stderr}`);
  }
};
