import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { Public } from '../common/auth/api-key.guard';

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
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
    return this.health.check([() => this.storeAnswers()]);
  }

  private async storeAnswers() {
    const check = this.indicator.check('store');
    try {
      await this.store.readAll({ limit: 1 });
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
