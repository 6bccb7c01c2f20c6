import { ApiError } from '../common/errors/api-error';

/**
 * The feed's cursor: opaque to callers, base64url of `feed:<position>`, the store's global
 * commit position. Positions are stored with the events, so a cursor stays valid across
 * restarts and across instances sharing a store.
 */
const BASE64URL = /^[A-Za-z0-9_-]{1,64}$/;
const PAYLOAD = /^feed:(0|[1-9]\d{0,15})$/;

export function encodeFeedCursor(position: number): string {
  return Buffer.from(`feed:${position}`, 'utf8').toString('base64url');
}

/** The position a cursor stands for; 400 on `after` for anything this service did not issue. */
export function decodeFeedCursor(cursor: string): number {
  const invalid = () =>
    ApiError.validation([{ field: 'after', message: 'is not a cursor issued by this feed' }]);
  if (!BASE64URL.test(cursor)) throw invalid();
  const payload = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = PAYLOAD.exec(payload);
  if (!match || encodeFeedCursor(Number(match[1])) !== cursor) throw invalid();
  const position = Number(match[1]);
  if (!Number.isSafeInteger(position)) throw invalid();
  return position;
}
