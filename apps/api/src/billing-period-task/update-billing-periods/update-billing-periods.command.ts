import { Command } from '@nestjs/cqrs';
import type { BillingPeriodRunResult } from '../billing-period-updater';

export class UpdateBillingPeriodsCommand extends Command<BillingPeriodRunResult> {
  constructor(
    readonly tenantId: string,
    readonly asOf: string,
    readonly dryRun: boolean,
    readonly requestId: string,
  ) {
    super();
  }
}
