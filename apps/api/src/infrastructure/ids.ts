import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Prefixed, unguessable ids (`bs_…`, `si_…`, `sinv_…`): 24 base62 characters ≈ 142 random bits. */
export function newId(prefix: string, separator = '_'): string {
  const bytes = randomBytes(24);
  let body = '';
  for (const byte of bytes) body += ALPHABET[byte % 62];
  return `${prefix}${separator}${body}`;
}

export const newEventId = (): string => uuidv7();
