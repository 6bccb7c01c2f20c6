import { consumerLag } from './consumer-lag';

describe('consumerLag', () => {
  it('is the high watermark minus the committed offset, per partition', () => {
    const lag = consumerLag(
      [
        { partition: 0, high: '120', low: '0' },
        { partition: 1, high: '40', low: '0' },
        { partition: 2, high: '7', low: '0' },
      ],
      [
        { partition: 0, offset: '100' },
        { partition: 1, offset: '40' },
        { partition: 2, offset: '-1' },
      ],
    );
    expect([...lag]).toEqual([
      [0, 20],
      [1, 0],
      [2, 7],
    ]);
  });

  it('counts from the low watermark when nothing is committed (retention removed the rest)', () => {
    expect([...consumerLag([{ partition: 0, high: '50', low: '30' }], [])]).toEqual([[0, 20]]);
  });
});
