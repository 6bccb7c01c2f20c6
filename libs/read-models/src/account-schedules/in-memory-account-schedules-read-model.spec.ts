import {
  ACCOUNT_SCHEDULES_STREAM_TYPE,
  accountSchedulesStreamId,
  emptyAccountSchedules,
  evolveAccountSchedules,
  type AccountSchedulesEvent,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { ProjectionGapError } from '../projection-gap-error';
import { InMemoryAccountSchedulesReadModel } from './in-memory-account-schedules-read-model';

let position = 0;
function stored(
  tenantId: string,
  accountId: string,
  version: number,
  event: AccountSchedulesEvent,
): StoredEvent {
  return {
    id: `evt_${++position}`,
    type: event.type,
    schemaVersion: 1,
    occurredAt: '2024-01-01T00:00:00Z',
    recordedAt: '2024-01-01T00:00:00Z',
    data: event.data,
    metadata: { correlationId: 'c', causationId: 'c' },
    streamId: accountSchedulesStreamId(tenantId, accountId),
    streamType: ACCOUNT_SCHEDULES_STREAM_TYPE,
    version,
    tenantId,
    position,
  };
}

const staged = (accountId: string): AccountSchedulesEvent => ({
  type: 'AccountScheduleEditsStaged',
  schemaVersion: 1,
  data: {
    accountId,
    discardedPreviousDraft: false,
    edits: [],
    draft: { edits: [], schedules: [] },
    stagedAt: '2024-01-01T00:00:00Z',
  },
});
const discarded = (accountId: string): AccountSchedulesEvent => ({
  type: 'AccountScheduleDraftDiscarded',
  schemaVersion: 1,
  data: { accountId, discardedScheduleIds: [], discardedAt: '2024-01-01T00:00:00Z' },
});

describe('InMemoryAccountSchedulesReadModel', () => {
  it('applies by stream version: redeliveries are ignored, a gap throws ProjectionGapError', async () => {
    const model = new InMemoryAccountSchedulesReadModel();
    const first = stored('t1', 'ACC', 1, staged('ACC'));
    await model.apply([first, first]);
    expect((await model.get('t1', 'ACC'))?.version).toBe(1);
    const third = stored('t1', 'ACC', 3, staged('ACC'));
    await expect(model.apply([third])).rejects.toThrow(ProjectionGapError);
    await expect(model.apply([third])).rejects.toMatchObject({
      streamId: accountSchedulesStreamId('t1', 'ACC'),
      expectedVersion: 2,
      gotVersion: 3,
    });
    expect((await model.get('t1', 'ACC'))?.draft).not.toBeNull();
    await model.apply([stored('t1', 'ACC', 2, discarded('ACC'))]);
    expect(await model.get('t1', 'ACC')).toMatchObject({ version: 2, draft: null, tenantId: 't1' });
    await model.apply([third]);
    expect(await model.get('t1', 'ACC')).toMatchObject({ version: 3, tenantId: 't1' });
    expect((await model.get('t1', 'ACC'))?.draft).not.toBeNull();
    expect(await model.checkpoint()).toBe(position);
  });

  it('keeps tenants apart, also when tenant and account ids contain dashes', async () => {
    const model = new InMemoryAccountSchedulesReadModel();
    await model.apply([stored('a-b', 'c', 1, staged('c'))]);
    expect(await model.get('a-b', 'c')).not.toBeNull();
    expect(await model.get('a', 'b-c')).toBeNull();
    expect(await model.get('other', 'c')).toBeNull();
    expect(accountSchedulesStreamId('a-b', 'c')).not.toBe(accountSchedulesStreamId('a', 'b-c'));
    expect(accountSchedulesStreamId('merchant_a', 'ACC-1')).toBe(
      'account_schedules-merchant_a-ACC-1',
    );
  });

  it('ignores other stream types but advances its checkpoint', async () => {
    const model = new InMemoryAccountSchedulesReadModel();
    await model.apply([
      { ...stored('t', 'x', 1, staged('x')), streamType: 'billing_schedule', position: 999 },
    ]);
    expect(await model.get('t', 'x')).toBeNull();
    expect(await model.checkpoint()).toBe(999);
  });
});

describe('InMemoryAccountSchedulesReadModel given the folded state (the command runner)', () => {
  const fold = (events: StoredEvent[]) =>
    events.reduce(
      (state, event) =>
        evolveAccountSchedules(state, event as unknown as AccountSchedulesEvent, event.version),
      emptyAccountSchedules('t1', 'ACC'),
    );

  it('stores the folded state when the events continue the stream, else folds them guarded', async () => {
    const model = new InMemoryAccountSchedulesReadModel();
    const first = stored('t1', 'ACC', 1, staged('ACC'));
    const second = stored('t1', 'ACC', 2, discarded('ACC'));
    const afterFirst = fold([first]);
    await model.apply([first], afterFirst);
    expect(await model.get('t1', 'ACC')).toBe(afterFirst);
    // A redelivery with a later state changes nothing; a gap still throws.
    await model.apply([first], fold([first, second]));
    expect(await model.get('t1', 'ACC')).toBe(afterFirst);
    const third = stored('t1', 'ACC', 3, staged('ACC'));
    await expect(model.apply([third], fold([first, second, third]))).rejects.toThrow(
      ProjectionGapError,
    );
    await model.apply([second, third], fold([first, second, third]));
    expect(await model.get('t1', 'ACC')).toStrictEqual(fold([first, second, third]));
    expect(await model.checkpoint()).toBe(third.position);
  });
});
