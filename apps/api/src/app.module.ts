import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AsyncApiController } from './asyncapi/asyncapi.controller';
import { AccountSchedulesModule } from './account-schedules/account-schedules.module';
import { BillingPeriodTaskModule } from './billing-period-task/billing-period-task.module';
import { BillingSchedulesModule } from './billing-schedules/billing-schedules.module';
import { EventsModule } from './events/events.module';
import { ApiKeyGuard } from './common/auth/api-key.guard';
import { ApiKeys } from './common/auth/api-keys';
import { ApiExceptionFilter } from './common/errors/api-exception.filter';
import { HttpMetricsInterceptor } from './common/http/http-metrics.interceptor';
import { RegisteredRoutes } from './common/http/registered-routes';
import { loggerParams } from './common/logging/logging';
import { AppMetricsModule } from './common/metrics/app-metrics';
import { AuthFailureThrottle, rateLimitModule } from './common/rate-limit/rate-limits';
import { TenantThrottlerGuard } from './common/rate-limit/tenant-throttler.guard';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor';
import { ApiValidationPipe } from './common/validation/api-validation.pipe';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { PersistenceModule } from './infrastructure/persistence.module';

@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    apiKeys: ApiKeys,
    options: { logDestination?: DestinationStream } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(config.logLevel, options.logDestination)),
        AppMetricsModule,
        rateLimitModule(config),
        PrometheusModule.register({
          path: '/metrics',
          controller: MetricsController,
          defaultMetrics: { enabled: true },
        }),
        TerminusModule,
        PersistenceModule,
        BillingSchedulesModule,
        AccountSchedulesModule,
        BillingPeriodTaskModule,
        EventsModule,
      ],
      controllers: [HealthController, AsyncApiController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: ApiKeys, useValue: apiKeys },
        AuthFailureThrottle,
        RegisteredRoutes,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: TenantThrottlerGuard },
        { provide: APP_PIPE, useClass: ApiValidationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [APP_CONFIG, ApiKeys],
    };
  }
}
