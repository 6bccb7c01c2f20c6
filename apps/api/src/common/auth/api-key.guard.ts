import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';
import { AuthFailureThrottle } from '../rate-limit/rate-limits';
import { factsOf } from '../request/request-context';
import { ApiKeys } from './api-keys';

const PUBLIC = 'auth:public';
/** Marks a route that needs no API key (health, metrics). */
export const Public = () => SetMetadata(PUBLIC, true);

/** `Authorization: Bearer <key>` or `x-api-key: <key>`; each key is one tenant. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeys,
    private readonly reflector: Reflector,
    private readonly failures: AuthFailureThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = presentedKey(request);
    const tenant = key ? this.keys.tenantOf(key) : undefined;
    if (!tenant) {
      const denial = key
        ? new ApiError(401, 'permission_denied', 'the API key is not valid')
        : new ApiError(401, 'permission_denied', 'an API key is required');
      throw await this.failures.refuse(request.ip, context.switchToHttp().getResponse(), denial);
    }
    factsOf(request).tenantId = tenant;
    return true;
  }
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  const apiKey = request.headers['x-api-key'];
  return bearer || (Array.isArray(apiKey) ? apiKey[0] : apiKey) || undefined;
}
