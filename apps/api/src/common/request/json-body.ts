import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors/api-error';

/**
 * The deepest nesting a JSON body may have. Real bodies need a handful of levels; the
 * recursive walkers downstream (idempotency hash, zod, JSON.stringify) overflow the stack
 * somewhere past a thousand.
 */
export const MAX_JSON_DEPTH = 100;

/** What body-parser (through http-errors) attaches to the errors it raises. */
interface BodyReadError {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  message?: unknown;
}

/**
 * Error middleware right after the JSON parser: the one place that turns what the parser
 * raised into the SPEC error body. Anything it refuses is the client's doing (malformed JSON,
 * too large, a charset or Content-Encoding it cannot decode, a gzip body that is not gzip, a
 * body shorter than its Content-Length), so none of it may reach the filter as a 500.
 */
export function jsonParseErrors(
  error: unknown,
  _req: Request,
  _res: Response,
  next: NextFunction,
): void {
  next(bodyReadError(error as BodyReadError | null) ?? error);
}

function bodyReadError(error: BodyReadError | null): ApiError | null {
  if (error === null || typeof error !== 'object') return null;
  switch (error.type) {
    case 'entity.parse.failed':
      return ApiError.validation([{ field: 'body', message: 'malformed JSON' }], 'malformed JSON');
    case 'entity.too.large':
      return new ApiError(413, 'validation_error', 'the request body exceeds 1 MiB');
    case 'charset.unsupported':
      return unsupportedMediaType('Content-Type', error.message);
    case 'encoding.unsupported':
      return unsupportedMediaType('Content-Encoding', error.message);
  }
  // Any other client error the parser exposes (http-errors marks those `expose`).
  if (
    typeof error.status === 'number' &&
    error.status >= 400 &&
    error.status < 500 &&
    error.expose
  ) {
    const message = `the request body could not be read: ${String(error.message)}`;
    return ApiError.validation([{ field: 'body', message }], message);
  }
  return null;
}

function unsupportedMediaType(header: string, reason: unknown): ApiError {
  const message = String(reason);
  return new ApiError(415, 'validation_error', message, { errors: [{ field: header, message }] });
}

/**
 * Refuses a parsed body nested deeper than MAX_JSON_DEPTH, before anything recursive walks it,
 * and one holding a `__proto__` or `constructor` key anywhere: they are the prototype-pollution
 * keys, and an object parser may drop them without a word.
 */
export function jsonBodyLimits(request: Request, _res: Response, next: NextFunction): void {
  const problem = bodyProblem(request.body);
  next(problem ? ApiError.validation([problem]) : undefined);
}

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
