import { Controller, Get, Inject, Optional, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { KafkaEventProducer } from '@app/messaging';
import { Public } from '../common/auth/api-key.guard';
import { BROKER_UP } from '../common/metrics/app-metrics';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { KAFKA_PRODUCER } from '../infrastructure/persistence.module';

const CHECK_TIMEOUT_MS = 3_000;

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(KAFKA_PRODUCER) private readonly broker: KafkaEventProducer | null,
    @InjectMetric(BROKER_UP) private readonly brokerUp: Gauge<'brokers'>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * Ready when the store answers: that is what accepting a command needs. The broker's state
   * (with KAFKA_BROKERS) is reported in `info` and `details` and as the `broker_up` gauge,
   * but never fails readiness: commands are acknowledged during a broker outage and the
   * relay publishes them once it is back, so pulling every instance would only add an outage.
   */
  @Get('ready')
  @HealthCheck()
  async ready() {
    const broker = this.broker;
    const [brokerReport, outcome] = await Promise.all([
      broker ? this.answers('broker', () => broker.ping()) : undefined,
      this.health.check([() => this.answers('store', () => this.store.ping())]).then(
        (body) => ({ body }),
        (error: unknown) => ({ error }),
      ),
    ]);
    if (brokerReport) {
      const up = brokerReport.broker.status === 'up' ? 1 : 0;
      this.brokerUp.set({ brokers: this.config.kafkaBrokers?.join(',') }, up);
    }
    if ('body' in outcome) {
      const { body } = outcome;
      return {
        ...body,
        info: { ...body.info, ...brokerReport },
        details: { ...body.details, ...brokerReport },
      };
    }
    const { error } = outcome;
    if (brokerReport && error instanceof ServiceUnavailableException) {
      const body = error.getResponse() as HealthCheckResult;
      throw new ServiceUnavailableException({
        ...body,
        details: { ...body.details, ...brokerReport },
      });
    }
    throw error;
  }

  private async answers(name: string, probe: () => Promise<unknown>) {
    const check = this.indicator.check(name);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        probe(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)),
            CHECK_TIMEOUT_MS,
          );
        }),
      ]);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    } finally {
      clearTimeout(timer); // a pending timer would hold the process (and Jest) for 3 s
    }
  }
}
