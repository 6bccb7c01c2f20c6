import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';

/**
 * Every finalize field is optional, so a POST without a body means `{}` (all defaults) rather
 * than a 400. Route interceptors run before pipes, so the global pipe then validates `{}`.
 */
@Injectable()
export class AbsentBodyAsEmptyObject implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.body === undefined) request.body = {};
    return next.handle();
  }
}
