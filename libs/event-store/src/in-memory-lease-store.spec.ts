import { InMemoryLeaseStore } from './in-memory-lease-store';

describe('InMemoryLeaseStore', () => {
  it('grants a lease to one owner at a time until it expires or is released', async () => {
    let now = 1_000;
    const leases = new InMemoryLeaseStore(() => now);
    expect(await leases.tryAcquire('job', 'a', 100)).toBe(true);
    expect(await leases.tryAcquire('job', 'b', 100)).toBe(false);
    expect(await leases.tryAcquire('job', 'a', 100)).toBe(true);
    now += 101;
    expect(await leases.tryAcquire('job', 'b', 100)).toBe(true);
    await leases.release('job', 'a');
    expect(await leases.tryAcquire('job', 'a', 100)).toBe(false);
    await leases.release('job', 'b');
    expect(await leases.tryAcquire('job', 'a', 100)).toBe(true);
  });

  it('arbitrates concurrent attempts: exactly one wins', async () => {
    const leases = new InMemoryLeaseStore();
    const wins = await Promise.all(
      ['a', 'b', 'c', 'd'].map((o) => leases.tryAcquire('job', o, 1_000)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });
});
