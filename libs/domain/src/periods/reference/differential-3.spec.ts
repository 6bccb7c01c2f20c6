import { firstDifference } from './differential';

// 4 shards × 25,000 random schedules (reference/random-schedules.ts); jest runs them in parallel.
describe('integer engine vs the luxon reference, random schedules 3/4', () => {
  it('answers identically on 25,000 schedules', () => {
    expect(firstDifference(3, 25_000)).toBeNull();
  }, 300_000);
});
