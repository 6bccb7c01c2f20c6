import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import { RATE_LIMITED } from '../metrics/app-metrics';
import { factsOf } from '../request/request-context';
import { rateLimited } from './rate-limits';

/**
 * RATE_LIMIT_PER_MINUTE per tenant across every route, after ApiKeyGuard has named the
 * tenant. Public routes (health, metrics) carry no tenant and are not limited; /docs and
 * /openapi.json are served outside Nest's guards.
 */
@Injectable()
export class TenantThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @InjectMetric(RATE_LIMITED) private readonly limited: Counter<'reason'>,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !factsOf(context.switchToHttp().getRequest<FastifyRequest>()).tenantId;
  }

  protected override async getTracker(request: FastifyRequest): Promise<string> {
    return factsOf(request).tenantId ?? '';
  }

  /** One bucket per tenant, not per route. */
  protected override generateKey(_: ExecutionContext, tenant: string, name: string): string {
    return `tenant-rate:${name}:${tenant}`;
  }

  protected override async throwThrottlingException(
    _: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    this.limited.inc({ reason: 'tenant' });
    throw rateLimited('tenant', detail.limit, Math.max(detail.timeToBlockExpire, 1));
  }
}
