import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { v7 as uuidv7 } from 'uuid';
import { ApiError } from '../errors/api-error';

/**
 * What the service learns about a request, kept on Node's own request object: the access
 * logger (pino-http) sees only that one, guards and interceptors see Fastify's wrapper
 * around it (`request.raw`). One place, so both read the same answer.
 */
export interface RequestFacts {
  requestId?: string;
  /** Set by ApiKeyGuard once the API key names a tenant. */
  tenantId?: string;
  /** The matched endpoint's pattern, e.g. `/v0/billingSchedules/:id`; none for a 404. */
  route?: string;
}

/** Node's request (an HTTP/1 or HTTP/2 one), or Fastify's around it. */
type AnyRequest = FastifyRequest | Pick<IncomingMessage, 'headers'>;

export const factsOf = (request: AnyRequest): RequestFacts =>
  ('raw' in request ? request.raw : request) as RequestFacts;

/**
 * The request's id: its X-Request-Id (first 200 characters) or a new UUIDv7. Fastify asks here
 * for its own `request.id` (genReqId), which the access logger takes over; the hook below
 * echoes it. It becomes the events' correlationId and every log line's requestId.
 */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const facts = factsOf(request);
  if (facts.requestId) return facts.requestId;
  const given = request.headers['x-request-id'];
  facts.requestId = (Array.isArray(given) ? given[0] : given)?.slice(0, 200) || uuidv7();
  return facts.requestId;
}

/** Before anything else runs: echo the request's id, note the matched route's pattern. */
export function recordRequestFacts(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', requestIdOf(request.raw));
    if (!request.is404) factsOf(request).route = request.routeOptions.url;
    done();
  });
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
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const idempotencyKey = request.headers['idempotency-key'];
  const { tenantId, requestId } = factsOf(request);
  return {
    // Set by then: ApiKeyGuard refuses a request without a tenant, the onRequest hook names it.
    tenantId: tenantId as string,
    requestId: requestId as string,
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
