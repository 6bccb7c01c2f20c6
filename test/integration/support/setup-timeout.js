// Real servers are slower than in-process fakes; testTimeout is not a per-project option.
jest.setTimeout(120_000);
