import { ApiError } from '../common/errors/api-error';
import { decodeFeedCursor, encodeFeedCursor } from './feed-cursor';

describe('feed cursor', () => {
  it('round-trips every position it issues, and is not the bare number', () => {
    for (const position of [0, 1, 7, 42, 100_000, Number.MAX_SAFE_INTEGER]) {
      const cursor = encodeFeedCursor(position);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(cursor).not.toContain(String(position));
      expect(decodeFeedCursor(cursor)).toBe(position);
    }
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'ab+/'],
    ['padded', `${encodeFeedCursor(5)}=`],
    ['another payload', Buffer.from('page:5').toString('base64url')],
    ['negative', Buffer.from('feed:-1').toString('base64url')],
    ['leading zero', Buffer.from('feed:05').toString('base64url')],
    ['fraction', Buffer.from('feed:5.5').toString('base64url')],
    ['beyond safe integers', Buffer.from('feed:9007199254740993').toString('base64url')],
    ['non-canonical base64url', `${encodeFeedCursor(5).slice(0, -1)}B`],
    ['too long', 'A'.repeat(65)],
  ])('refuses %s with a validation error on `after`', (_name, cursor) => {
    let error: unknown;
    try {
      decodeFeedCursor(cursor);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).toBody()).toMatchObject({
      code: 'validation_error',
      http_status_code: 400,
      details: { errors: [{ field: 'after' }] },
    });
  });
});
