import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { KafkaEventProducer } from '@app/messaging';
import { Public } from '../common/auth/api-key.guard';
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
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Ready when the store answers (and, in production mode, the broker). */
  @Get('ready')
  @HealthCheck()
  ready() {
    const broker = this.broker;
    return this.health.check([
      () => this.answers('store', () => this.store.ping()),
      ...(broker ? [() => this.answers('broker', () => broker.ping())] : []),
    ]);
  }

  private async answers(name: string, probe: () => Promise<unknown>) {
    const check = this.indicator.check(name);
    try {
      await Promise.race([
        probe(),
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)),
            CHECK_TIMEOUT_MS,
          ),
        ),
      ]);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
