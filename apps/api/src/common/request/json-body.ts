import type { FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { ApiError } from '../errors/api-error';

/**
 * The deepest nesting a JSON body may have. Real bodies need a handful of levels; the
 * recursive walkers downstream (idempotency hash, zod, JSON.stringify) overflow the stack
 * somewhere past a thousand.
 */
export const MAX_JSON_DEPTH = 100;

/** The largest JSON body accepted, counted after any Content-Encoding is undone. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

type ParserDone = (error: Error | null, body?: unknown) => void;

/**
 * The service reads JSON bodies only. Fastify's own parsers are replaced by the one below, so
 * that every refusal is an ApiError in the SPEC body: malformed JSON, too large, a charset or
 * Content-Encoding it cannot decode, a gzip body that is not gzip, a body cut short. Any other
 * media type with a body is a 415; a request without a body keeps `body` undefined.
 */
export function acceptJsonBodies(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', (request, payload, done: ParserDone) => {
    readJsonBody(request.headers, payload).then(
      (body) => done(null, body),
      (error: Error) => done(error),
    );
  });
  fastify.addContentTypeParser('*', (request, payload, done: ParserDone) => {
    const length = request.headers['content-length'];
    const empty =
      request.headers['transfer-encoding'] === undefined &&
      (length === undefined || length === '0');
    if (empty) return done(null, undefined);
    const given = request.headers['content-type'];
    const message = given
      ? `the media type ${given.split(';')[0]} is not supported; send application/json`
      : 'a request body needs Content-Type: application/json';
    done(unsupportedMediaType('Content-Type', message));
  });
}

async function readJsonBody(headers: IncomingHttpHeaders, payload: Readable): Promise<unknown> {
  const decoder = decoderFor(headers['content-type']);
  const declared = Number(headers['content-length']);
  if (declared > BODY_LIMIT_BYTES) throw tooLarge();
  const text = decoder.decode(await readAtMost(decodedStream(headers, payload), payload));
  // An empty body is an empty object, and only an object or an array is a JSON body (a bare
  // string, number or null is refused before anything reads it).
  if (text.length === 0) return {};
  const first = text.match(/^[ \t\n\r]*(.)/s)?.[1];
  let body: unknown;
  try {
    if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
    body = JSON.parse(text);
  } catch {
    throw ApiError.validation([{ field: 'body', message: 'malformed JSON' }], 'malformed JSON');
  }
  const problem = bodyProblem(body);
  if (problem) throw ApiError.validation([problem]);
  return body;
}

/** UTF-8 unless the Content-Type names another UTF encoding the decoder knows. */
function decoderFor(contentType: string | undefined): TextDecoder {
  const charset = contentType?.match(/;\s*charset\s*=\s*"?([^";\s]*)"?/i)?.[1]?.toLowerCase();
  if (charset === undefined) return new TextDecoder('utf-8');
  const unsupported = () =>
    unsupportedMediaType('Content-Type', `unsupported charset "${charset.toUpperCase()}"`);
  if (!charset.startsWith('utf-')) throw unsupported();
  try {
    return new TextDecoder(charset);
  } catch {
    throw unsupported();
  }
}

function decodedStream(headers: IncomingHttpHeaders, payload: Readable): Readable {
  const encoding = (headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = DECODERS[encoding];
  if (decoder === undefined) {
    throw unsupportedMediaType('Content-Encoding', `unsupported content encoding "${encoding}"`);
  }
  if (decoder === null) return payload;
  const decoded = decoder();
  payload.on('error', (error) => decoded.destroy(error));
  return payload.pipe(decoded);
}

const DECODERS: Record<string, (() => Transform) | null> = {
  identity: null,
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * The decoded bytes, refused past BODY_LIMIT_BYTES. A refused body is left to drain unread, so
 * the client that is still sending it gets the answer rather than a reset connection.
 */
function readAtMost(stream: Readable, payload: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const stop = () => {
      stream.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length <= BODY_LIMIT_BYTES) return void chunks.push(chunk);
      stop();
      if (stream !== payload) {
        payload.unpipe();
        stream.destroy();
      }
      payload.resume();
      reject(tooLarge());
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, length));
    };
    const onError = (error: Error) => {
      stop();
      reject(unreadable(error.message));
    };
    // Closed without an end: the client went away mid-body.
    const onClose = () => onError(new Error('the body ended before its Content-Length'));
    stream.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

const tooLarge = () => new ApiError(413, 'validation_error', 'the request body exceeds 1 MiB');

function unreadable(reason: string): ApiError {
  const message = `the request body could not be read: ${reason}`;
  return ApiError.validation([{ field: 'body', message }], message);
}

function unsupportedMediaType(header: string, message: string): ApiError {
  return new ApiError(415, 'validation_error', message, { errors: [{ field: header, message }] });
}

/**
 * What the parser refuses after parsing: a body nested deeper than MAX_JSON_DEPTH, before
 * anything recursive walks it, and one holding a `__proto__` or `constructor` key anywhere:
 * they are the prototype-pollution keys, and an object parser may drop them without a word.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor']);
/**
 * Half a surrogate pair, as the JSON escape `"\ud835"` yields: valid JSON syntax but no Unicode
 * text. Accepted, it would be stored, published and echoed back as JSON that strict UTF-8
 * clients cannot decode, so a key or string holding one is refused like a malformed body.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
const NOT_UNICODE = 'must be valid Unicode text (it holds a lone UTF-16 surrogate)';

/** Iterative, so it cannot overflow the stack itself. */
function bodyProblem(body: unknown): { field: string; message: string } | null {
  const pending: [value: unknown, depth: number, path: string][] = [[body, 1, '']];
  while (pending.length > 0) {
    const [value, depth, path] = pending.pop() as [unknown, number, string];
    if (typeof value === 'string' && LONE_SURROGATE.test(value)) {
      return { field: path, message: NOT_UNICODE };
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) {
      return {
        field: 'body',
        message: `must not nest objects or arrays deeper than ${MAX_JSON_DEPTH} levels`,
      };
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (LONE_SURROGATE.test(key)) {
        // The path is echoed in the answer, so the offending half is replaced there.
        return { field: childPath.replace(LONE_SURROGATES, '\uFFFD'), message: NOT_UNICODE };
      }
      if (!Array.isArray(value) && RESERVED_KEYS.has(key)) {
        return { field: childPath, message: `"${key}" is not allowed as a key` };
      }
      pending.push([child, depth + 1, childPath]);
    }
  }
  return null;
}
