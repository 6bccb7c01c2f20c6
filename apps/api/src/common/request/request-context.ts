import { createParamDecorator, ExecutionContext, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { v7 as uuidv7 } from 'uuid';
import { ApiError } from '../errors/api-error';
import type { AuthenticatedRequest } from '../auth/api-key.guard';

export interface RequestWithId extends Request {
  requestId: string;
}

/**
 * The request's id: its X-Request-Id (first 200 characters) or a new UUIDv7, echoed in the
 * response. It becomes the events' correlationId and every log line's requestId; the access
 * logger (genReqId) and the middleware below both ask here, whichever runs first decides.
 */
export function requestIdOf(request: IncomingMessage, response: ServerResponse): string {
  const known = (request as Partial<RequestWithId>).requestId;
  if (known) return known;
  const given = request.headers['x-request-id'];
  const id = (Array.isArray(given) ? given[0] : given)?.slice(0, 200) || uuidv7();
  (request as Partial<RequestWithId>).requestId = id;
  if (!response.headersSent) response.setHeader('X-Request-Id', id);
  return id;
}

@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  use(request: RequestWithId, response: Response, next: NextFunction): void {
    requestIdOf(request, response);
    next();
  }
}

/** Who is asking and under which request; handed to commands so handlers stay transport-free. */
export interface CommandMeta {
  tenantId: string;
  requestId: string;
  /** Defaults to requestId; the billing-period task sets its run id. */
  causationId?: string;
  idempotencyKey?: string;
  /** From If-Match: the stream version the client last saw. */
  expectedVersion?: number;
}

export const Meta = createParamDecorator((_: unknown, context: ExecutionContext): CommandMeta => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest & RequestWithId>();
  const idempotencyKey = request.headers['idempotency-key'];
  return {
    tenantId: request.tenantId,
    requestId: request.requestId,
    idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined,
    expectedVersion: parseIfMatch(request.headers['if-match']),
  };
});

/** Accepts `"3"`, `W/"3"` and `3`. Anything else is a client error, not a silent mismatch. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  // Quotes come in pairs: `"3` or `3"` is malformed, not version 3.
  const match = header.trim().match(/^(?:(?:W\/)?"(\d+)"|(\d+))$/);
  if (!match) {
    throw ApiError.validation([{ field: 'If-Match', message: 'must be an ETag such as "3"' }]);
  }
  return Number(match[1] ?? match[2]);
}

export const etagOf = (version: number) => `"${version}"`;
