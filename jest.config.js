/**
 * Unit specs live next to the code; end-to-end suites (the app over HTTP, embedded store) in
 * test/; integration suites (real Kafka and a MongoDB-protocol server) in test/integration/.
 *
 * The integration project is included only when this machine can run the real servers
 * (scripts/infra/can-provision.sh). Otherwise it says loudly that it did not run, and with
 * REQUIRE_INTEGRATION=1 (set by CI) that is a failure instead.
 */
const { spawnSync } = require('node:child_process');

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: {
          legacyDecorator: true,
          decoratorMetadata: true,
          useDefineForClassFields: false,
        },
        target: 'es2022',
      },
    },
  ],
};
/**
 * @fastify/static (it serves Swagger UI's assets) requires content-disposition 3, an ES module.
 * Node 20.19 loads it with require(esm); Jest's module loader cannot, so swc makes it CommonJS.
 */
transform['/node_modules/content-disposition/.+\\.js$'] = [
  '@swc/jest',
  { module: { type: 'commonjs' } },
];
const transformIgnorePatterns = ['^(?!.*/node_modules/content-disposition/).*/node_modules/'];
const moduleNameMapper = {
  '^@app/(domain|event-store|read-models|messaging)(/.*)?$': '<rootDir>/libs/$1/src$2',
};
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns,
  moduleNameMapper,
};

function integrationProject() {
  const probe = spawnSync('bash', ['scripts/infra/can-provision.sh'], {
    cwd: __dirname,
    encoding: 'utf8',
  });
  if (probe.status === 0) {
    return {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/integration/support/global-setup.js',
      globalTeardown: '<rootDir>/test/integration/support/global-teardown.js',
      setupFilesAfterEnv: ['<rootDir>/test/integration/support/setup-timeout.js'],
    };
  }
  const banner = [
    '',
    '#'.repeat(78),
    '#  INTEGRATION SUITES NOT RUN: this machine cannot start Kafka and FerretDB.',
    ...`${probe.stdout}${probe.stderr}`
      .trim()
      .split('\n')
      .map((line) => `#    ${line}`),
    '#  They need java >= 17, mvn and go (see scripts/infra/up.sh).',
    '#'.repeat(78),
    '',
  ].join('\n');
  if (process.env.REQUIRE_INTEGRATION === '1') {
    throw new Error(`REQUIRE_INTEGRATION=1 but the integration suites cannot run.${banner}`);
  }
  process.stderr.write(banner);
  return null;
}

const wantsIntegration = !process.argv.some((arg) => /^(unit|e2e)$/.test(arg));

/**
 * `jest --selectProjects unit libs/x.spec.ts` looks natural but --selectProjects takes every
 * following word as a project name, so the path is lost and the whole project runs (minutes,
 * with the differential engine tests). Path-like words it swallowed filter the tests instead.
 */
function swallowedPaths(argv) {
  const at = argv.indexOf('--selectProjects');
  if (at < 0) return [];
  const paths = [];
  for (let i = at + 1; i < argv.length && !argv[i].startsWith('-'); i++) {
    if (/[/.]/.test(argv[i])) paths.push(argv[i]);
  }
  return paths;
}
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathFilters = swallowedPaths(process.argv);
const onlyThosePaths =
  pathFilters.length === 0
    ? {}
    : { testPathIgnorePatterns: [`^(?!.*(?:${pathFilters.map(escapeRegExp).join('|')}))`] };
Object.assign(common, onlyThosePaths);

module.exports = {
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/*.e2e-spec.ts', '<rootDir>/test/cli/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/setup-timeout.js'],
    },
    ...(wantsIntegration ? [integrationProject()].filter(Boolean) : []),
  ],
};
