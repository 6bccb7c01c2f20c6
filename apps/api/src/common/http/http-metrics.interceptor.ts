import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectMetric, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { Request, Response } from 'express';
import type { Histogram } from 'prom-client';
import { Observable, tap } from 'rxjs';

export const HTTP_DURATION = 'http_request_duration_seconds';
export const httpDurationProvider = makeHistogramProvider({
  name: HTTP_DURATION,
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(@InjectMetric(HTTP_DURATION) private readonly duration: Histogram<string>) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const stop = this.duration.startTimer({
      method: request.method,
      route: (request.route as { path?: string } | undefined)?.path ?? 'unknown',
    });
    const finish = () => stop({ status: String(http.getResponse<Response>().statusCode) });
    return next.handle().pipe(tap({ next: finish, error: () => stop({ status: 'error' }) }));
  }
}
