import { ApiError } from '../common/errors/api-error';

/**
 * Togai-style pagination (SPEC §2, §4): opaque tokens that are base64url JSON `{"o": offset,
 * "m": kind}`. A token is only good for the kind it was minted for (ACTIVE, DRAFT, EVENTS).
 */
export interface TokenPage<T> {
  data: T[];
  nextToken?: string;
  previousToken?: string;
}

export const DEFAULT_PAGE_SIZE = 10;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodePageToken(offset: number, kind: string): string {
  return Buffer.from(JSON.stringify({ o: offset, m: kind }), 'utf8').toString('base64url');
}

/** The offset a token stands for; 400 `nextToken` for anything this service did not mint for `kind`. */
export function decodePageToken(token: string, kind: string): number {
  const invalid = () =>
    ApiError.validation([
      { field: 'nextToken', message: 'is not a token issued for this listing' },
    ]);
  if (!BASE64URL.test(token)) throw invalid();
  const json = Buffer.from(token, 'base64url').toString('utf8');
  if (Buffer.from(json, 'utf8').toString('base64url') !== token) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const { o, m, ...rest } = parsed as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || m !== kind) throw invalid();
  if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) throw invalid();
  return o;
}

/** One page of an already sorted list. */
export function tokenPage<T>(
  all: readonly T[],
  query: { pageSize?: number; nextToken?: string },
  kind: string,
): TokenPage<T> {
  const size = query.pageSize ?? DEFAULT_PAGE_SIZE;
  const offset = query.nextToken === undefined ? 0 : decodePageToken(query.nextToken, kind);
  const end = offset + size;
  return {
    data: all.slice(offset, end),
    ...(end < all.length ? { nextToken: encodePageToken(end, kind) } : {}),
    ...(offset > 0 ? { previousToken: encodePageToken(Math.max(0, offset - size), kind) } : {}),
  };
}
