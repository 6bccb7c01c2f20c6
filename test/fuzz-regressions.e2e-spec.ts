import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { scheduleBody, startTestApp, type TestApp } from './support/test-app';

/**
 * Inputs that schemathesis or the probes around it (`npm run fuzz`) made the service answer
 * wrongly, kept as regressions: each must be a 4xx in the SPEC §2 error body and change nothing.
 */

const BASE = '/v0/billingSchedules';

function expectClientError(res: Response, status: number, field: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({
    status,
    code: 'validation_error',
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body.http_status_code).toBe(status);
  expect(res.body.details.errors).toEqual([{ field, message: expect.any(String) }]);
  expect(res.text).not.toMatch(/\n\s+at |node_modules/);
}

describe('body-reading errors found by fuzzing (HTTP, embedded store)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  const body = JSON.stringify(scheduleBody({ orderId: 'ord_fuzz' }));
  const post = (headers: Record<string, string>, payload: string | Buffer) =>
    t
      .http()
      .post(BASE)
      .set(t.auth())
      .set({ 'Content-Type': 'application/json', ...headers })
      // The bytes as given: superagent would JSON-encode a Buffer.
      .serialize((raw: unknown) => raw as string)
      .send(payload);
  /** Every schedule of the tenant: a refused request must create none, whatever its orderId. */
  const total = async (): Promise<number> =>
    (await t.http().get(BASE).set(t.auth()).expect(200)).body.pagination.total;

  it('answers 400 (was 500) for a body declared gzip that is not gzip, and creates nothing', async () => {
    expectClientError(await post({ 'Content-Encoding': 'gzip' }, body), 400, 'body');
    expectClientError(await post({ 'Content-Encoding': 'deflate' }, body), 400, 'body');
    expect(await total()).toBe(0);
  });

  it('answers 415 (was 500) for a charset the JSON parser cannot decode', async () => {
    const res = await post({ 'Content-Type': 'application/json; charset=latin1' }, body);
    expectClientError(res, 415, 'Content-Type');
    expect(res.body.message).toMatch(/charset/i);
    expect(await total()).toBe(0);
  });

  it('answers 415 for a Content-Encoding it does not know', async () => {
    expectClientError(
      await post({ 'Content-Encoding': 'x-unknown' }, body),
      415,
      'Content-Encoding',
    );
    expect(await total()).toBe(0);
  });

  // A JSON escape of half a surrogate pair parses but is no Unicode text: stored, it came back in
  // 201s (and in the unknown-field error) as JSON that strict UTF-8 decoders refuse.
  it('answers 400 (was 201, or an undecodable 400) for a lone surrogate in a value or a key', async () => {
    const loneInValue = body.replace('"ord_fuzz"', '"ord_\\ud835"');
    const value = await post({}, loneInValue);
    expectClientError(value, 400, 'orderId');
    const loneInKey = body.replace('{', '{"metadata":{"k\\udc00":"v"},');
    const key = await post({}, loneInKey);
    expectClientError(key, 400, 'metadata.k\uFFFD');
    for (const res of [value, key]) expect(res.text).not.toMatch(/\\u[dD][89a-fA-F]/);
    expect(await total()).toBe(0);
  });

  it('still accepts a surrogate pair (a character outside the BMP)', async () => {
    const res = await post(
      {},
      body.replace('"ord_fuzz"', '"ord_fuzz", "metadata": {"k": "\\ud835\\udfd8"}'),
    );
    expect(res.status).toBe(201);
    expect(res.body.metadata).toEqual({ k: '\u{1D7D8}' });
    expect(await total()).toBe(1);
  });

  it('still accepts a body that really is gzip, or brotli', async () => {
    const res = await post({ 'Content-Encoding': 'gzip' }, gzipSync(body));
    expect(res.status).toBe(201);
    const br = await post({ 'Content-Encoding': 'br' }, brotliCompressSync(body));
    expect(br.status).toBe(201);
    expect(await total()).toBe(3);
  });

  it('answers 415 naming Content-Type for a body of another media type, and creates nothing', async () => {
    const before = await total();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await post({ 'Content-Type': type }, body);
      expectClientError(res, 415, 'Content-Type');
      expect(res.body.message).toContain(type);
    }
    expect(await total()).toBe(before);
  });
});
