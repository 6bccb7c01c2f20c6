import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors/api-error';

/**
 * The deepest nesting a JSON body may have. Real bodies need a handful of levels; the
 * recursive walkers downstream (idempotency hash, zod, JSON.stringify) overflow the stack
 * somewhere past a thousand.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Error middleware right after the JSON parser. Nest turns the parser's SyntaxError into a
 * bare BadRequestException and loses what it was; keeping it as the cause lets the exception
 * filter answer the validation_error body with details.errors.
 */
export function jsonParseErrors(
  error: unknown,
  _req: Request,
  _res: Response,
  next: NextFunction,
): void {
  const type = (error as { type?: unknown } | null)?.type;
  next(
    type === 'entity.parse.failed'
      ? new BadRequestException('malformed JSON', { cause: error })
      : error,
  );
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

/** Iterative, so it cannot overflow the stack itself. */
function bodyProblem(body: unknown): { field: string; message: string } | null {
  const pending: [value: unknown, depth: number, path: string][] = [[body, 1, '']];
  while (pending.length > 0) {
    const [value, depth, path] = pending.pop() as [unknown, number, string];
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) {
      return {
        field: 'body',
        message: `must not nest objects or arrays deeper than ${MAX_JSON_DEPTH} levels`,
      };
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && RESERVED_KEYS.has(key)) {
        return { field: childPath, message: `"${key}" is not allowed as a key` };
      }
      pending.push([child, depth + 1, childPath]);
    }
  }
  return null;
}
