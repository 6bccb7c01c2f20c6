/**
 * Read-model state holds client-chosen keys (schedule and interval metadata, usage filters,
 * pricing-rule metadata, licenses by licenseId) and client-chosen arrays. MongoDB-protocol
 * servers do not store every such value: FerretDB refuses keys containing `.` or starting with
 * `$` and arrays directly inside arrays, and BSON itself cannot hold a NUL in a key. This codec
 * maps any JSON value to a storable one and back, exactly:
 *
 * - keys: `%` `.` `$` NUL become `%25` `%2E` `%24` `%00` (keys without them are unchanged, so
 *   the fields the read models query keep their names);
 * - an array directly inside an array becomes `{ "%array": [...] }`; an encoded key never
 *   contains `%` followed by anything but `25`, `2E`, `24`, `00`, so the marker is unambiguous;
 * - `undefined` is dropped from objects and becomes null in arrays, as in JSON.
 */
const ESCAPE: Record<string, string> = { '%': '%25', '.': '%2E', $: '%24', '\0': '%00' };
const UNESCAPE: Record<string, string> = { '%25': '%', '%2E': '.', '%24': '$', '%00': '\0' };
const NESTED_ARRAY = '%array';

export function encodeKey(key: string): string {
  return key.replace(/[%.$\0]/g, (c) => ESCAPE[c]);
}

export function decodeKey(key: string): string {
  return key.replace(/%(?:25|2E|24|00)/g, (s) => UNESCAPE[s]);
}

export function encodeValue(value: unknown): unknown {
  return encode(value, false);
}

export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (!isPlainObject(value)) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0][0] === NESTED_ARRAY && Array.isArray(entries[0][1])) {
    return entries[0][1].map(decodeValue);
  }
  // fromEntries defines own properties, so a `__proto__` key stays a key.
  return Object.fromEntries(entries.map(([k, v]) => [decodeKey(k), decodeValue(v)]));
}

/** Encodes a state object for storage (its top-level keys must be plain identifiers). */
export function encodeState(state: object): Record<string, unknown> {
  return encodeValue(state) as Record<string, unknown>;
}

function encode(value: unknown, insideArray: boolean): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => (item === undefined ? null : encode(item, true)));
    return insideArray ? { [NESTED_ARRAY]: items } : items;
  }
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [encodeKey(k), encode(v, false)]),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
