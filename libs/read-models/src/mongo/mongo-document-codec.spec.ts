import { decodeKey, decodeValue, encodeKey, encodeValue } from './mongo-document-codec';

describe('mongo-document-codec', () => {
  const storable = (value: unknown, insideArray = false): boolean => {
    if (Array.isArray(value)) return !insideArray && value.every((v) => storable(v, true));
    if (value === null || typeof value !== 'object') return true;
    return Object.entries(value).every(
      ([k, v]) => !k.includes('.') && !k.startsWith('$') && !k.includes('\0') && storable(v),
    );
  };

  it.each([
    ['plain keys', { a: 1, b: { c: [1, 'x', null, true] } }],
    ['dots, dollars, NUL, percent', { 'a.b': { $c: { 'd\0e': 1, '%2E': 2, '%': 3, '%25': 4 } } }],
    ['nested arrays', { m: [[1, [2, [3]]], [], [[]], [{ 'k.k': [[null]] }]] }],
    ['the marker itself as a key', { '%array': [1], x: [{ '%array': [2] }] }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"x": 1}, "y": [{"__proto__": 2}]}')],
    ['empty key and unicode', { '': 'e', 'é😀.': 'u' }],
  ])('round-trips %s exactly, as a storable value', (_, value) => {
    const encoded = encodeValue(value);
    expect(storable(encoded)).toBe(true);
    expect(decodeValue(JSON.parse(JSON.stringify(encoded)))).toStrictEqual(value);
    expect(Object.getPrototypeOf(decodeValue(encoded))).toBe(Object.prototype);
  });

  it('leaves keys without special characters as they are', () => {
    expect(encodeKey('merchantId')).toBe('merchantId');
    expect(encodeKey('a.b$%\0')).toBe('a%2Eb%24%25%00');
    expect(decodeKey(encodeKey('%2E.%24$'))).toBe('%2E.%24$');
  });

  it('drops undefined from objects and writes null for it in arrays, as JSON does', () => {
    expect(encodeValue({ a: undefined, b: [undefined, 1] })).toStrictEqual({ b: [null, 1] });
  });
});
