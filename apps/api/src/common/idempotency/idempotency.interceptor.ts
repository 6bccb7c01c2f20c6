import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from '@app/event-store';
import { ApiError } from '../errors/api-error';
import { factsOf } from '../request/request-context';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_KEY_LENGTH = 255;

/**
 * SPEC §2 Idempotency-Key: a repeat with the same key and body returns the first response and
 * appends nothing; the same key with another request → 409. Only successful responses are
 * kept: a failed command appended nothing, so running it again is safe.
 * Requests with one key are serialised in this process so a concurrent repeat waits for the
 * first and replays it instead of running twice.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = request.headers['idempotency-key'];
    const { tenantId } = factsOf(request);
    if (!WRITE_METHODS.has(request.method) || typeof key !== 'string' || !tenantId) {
      return next.handle();
    }
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw ApiError.validation([
        { field: 'Idempotency-Key', message: `must be 1 to ${MAX_KEY_LENGTH} characters` },
      ]);
    }
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const requestHash = hashRequest(request);
    const slot = `${tenantId}\u0000${key}`;
    const previous = this.inFlight.get(slot) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => this.replayOrRun(tenantId, key, requestHash, response, next));
    this.inFlight.set(slot, run);
    void run
      .finally(() => {
        if (this.inFlight.get(slot) === run) this.inFlight.delete(slot);
      })
      .catch(() => undefined);
    return from(run);
  }

  private async replayOrRun(
    tenantId: string,
    key: string,
    requestHash: string,
    response: FastifyReply,
    next: CallHandler,
  ): Promise<unknown> {
    const stored = await this.store.get(tenantId, key);
    if (stored) {
      if (stored.requestHash !== requestHash) {
        throw new ApiError(
          409,
          'invalid_operation',
          'this Idempotency-Key was already used with a different request',
        );
      }
      response.status(stored.statusCode);
      response.header('Idempotent-Replayed', 'true');
      return stored.body;
    }
    const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    await this.store.put({
      tenantId,
      key,
      requestHash,
      statusCode: response.statusCode,
      body: body ?? null,
      createdAt: new Date().toISOString(),
    });
    return body;
  }
}

function hashRequest(request: FastifyRequest): string {
  return createHash('sha256')
    .update(request.method)
    .update('\u0000')
    .update(request.url)
    .update('\u0000')
    .update(canonicalJson(request.body))
    .digest('hex');
}

/** JSON with sorted keys, so the same body in another key order is the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
