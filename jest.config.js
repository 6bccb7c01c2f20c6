/** Unit specs live next to the code; end-to-end suites live in test/. */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
    },
  ],
};
const moduleNameMapper = {
  '^@app/(domain|event-store|read-models|messaging)(/.*)?$': '<rootDir>/libs/$1/src$2',
};
const common = { rootDir: __dirname, testEnvironment: 'node', transform, moduleNameMapper };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
