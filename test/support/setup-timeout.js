// Each e2e suite starts the real app: on a loaded 2-core machine that alone can take seconds,
// so Jest's 5 s default would fail hooks and tests that are slow, not wrong. testTimeout is not
// a per-project option, hence this file.
jest.setTimeout(60_000);
