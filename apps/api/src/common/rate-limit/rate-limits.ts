import { InjectThrottlerStorage, ThrottlerModule, type ThrottlerStorage } from '@nestjs/throttler';
import { Inject, Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import type { Counter } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ApiError } from '../errors/api-error';
import { RATE_LIMITED } from '../metrics/app-metrics';

/** Both limits count over a sliding minute; a client over one is refused for a minute. */
export const RATE_WINDOW_MS = 60_000;

export type RateLimitReason = 'tenant' | 'auth';

/** The per-tenant limit (the throttler's default throttler, so its header is `Retry-After`). */
export const rateLimitModule = (config: AppConfig) =>
  ThrottlerModule.forRoot({
    throttlers: [{ ttl: RATE_WINDOW_MS, limit: config.rateLimitPerMinute }],
  });

/** 429 in the SPEC §2 error shape; `Retry-After` (seconds) is set on the response with it. */
export function rateLimited(
  reason: RateLimitReason,
  limit: number,
  retryAfterSeconds: number,
): ApiError {
  const what =
    reason === 'tenant' ? 'requests for this tenant' : 'failed authentications from this address';
  return new ApiError(
    429,
    'service_unavailable',
    `more than ${limit} ${what} per minute; retry after ${retryAfterSeconds} s`,
    { reason, limit, retryAfterSeconds },
  );
}

/**
 * Counts failed authentications per client address in the throttler's storage. Past
 * AUTH_FAILURE_LIMIT_PER_MINUTE, further failures from that address answer 429 instead of 401
 * for a minute. A valid key is never refused by this limit.
 */
@Injectable()
export class AuthFailureThrottle {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectMetric(RATE_LIMITED) private readonly limited: Counter<'reason'>,
  ) {}

  /** The error to answer a failed authentication with: the 401 given, or 429. */
  async refuse(address: string | undefined, response: FastifyReply, denial: ApiError) {
    const limit = this.config.authFailureLimitPerMinute;
    const record = await this.storage.increment(
      `auth-failure:${address ?? 'unknown'}`,
      RATE_WINDOW_MS,
      limit,
      RATE_WINDOW_MS,
      'auth-failure',
    );
    if (!record.isBlocked) return denial;
    const retryAfter = Math.max(record.timeToBlockExpire, 1);
    response.header('Retry-After', String(retryAfter));
    this.limited.inc({ reason: 'auth' });
    return rateLimited('auth', limit, retryAfter);
  }
}
