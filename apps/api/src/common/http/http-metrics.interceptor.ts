import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Request, Response } from 'express';
import type { Histogram } from 'prom-client';
import { Observable, tap } from 'rxjs';
import { HTTP_DURATION } from '../metrics/app-metrics';

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
