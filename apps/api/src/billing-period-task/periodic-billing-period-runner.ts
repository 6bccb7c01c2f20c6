import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { LEASE_STORE, type LeaseStore } from '@app/event-store';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Clock, isoNow } from '../infrastructure/clock';
import { BillingPeriodUpdater } from './billing-period-updater';

export const BILLING_PERIOD_LEASE = 'billing-period-update';

/**
 * Runs the billing-period task for every tenant every BILLING_PERIOD_UPDATE_INTERVAL (0 = off),
 * only while holding the lease, so that among several instances one runs it at a time.
 */
@Injectable()
export class PeriodicBillingPeriodRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PeriodicBillingPeriodRunner');
  private readonly owner = `runner-${randomUUID()}`;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LEASE_STORE) private readonly leases: LeaseStore,
    private readonly updater: BillingPeriodUpdater,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.billingPeriodUpdateIntervalMs;
    if (every <= 0) return;
    this.scheduler.addInterval(
      BILLING_PERIOD_LEASE,
      setInterval(() => void this.tick(), every),
    );
    this.logger.log(`billing-period task every ${every} ms`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', BILLING_PERIOD_LEASE)) {
      this.scheduler.deleteInterval(BILLING_PERIOD_LEASE);
    }
    await this.running;
  }

  /** One scheduled run; skipped while a previous one is still going or another instance holds the lease. */
  async tick(): Promise<boolean> {
    if (this.running) return false;
    const ttl = Math.max(this.config.billingPeriodUpdateIntervalMs * 2, 60_000);
    if (!(await this.leases.tryAcquire(BILLING_PERIOD_LEASE, this.owner, ttl))) return false;
    this.running = this.updater
      .run({ asOf: isoNow(this.clock), dryRun: false })
      .then((result) => this.logger.log(`${result.message} (run ${result.runId})`))
      .catch((error: Error) => this.logger.error(`billing-period task failed: ${error.message}`))
      .finally(() => this.leases.release(BILLING_PERIOD_LEASE, this.owner));
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    return true;
  }
}
