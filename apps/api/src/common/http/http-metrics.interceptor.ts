import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Histogram } from 'prom-client';
import { Observable, tap } from 'rxjs';
import { HTTP_DURATION } from '../metrics/app-metrics';
import { factsOf } from '../request/request-context';

@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(@InjectMetric(HTTP_DURATION) private readonly duration: Histogram<string>) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const stop = this.duration.startTimer({
      method: request.method,
      route: factsOf(request).route ?? 'unknown',
    });
    const finish = () => stop({ status: String(http.getResponse<FastifyReply>().statusCode) });
    return next.handle().pipe(tap({ next: finish, error: () => stop({ status: 'error' }) }));
  }
}
