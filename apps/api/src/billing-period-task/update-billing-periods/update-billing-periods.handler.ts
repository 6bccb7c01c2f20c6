import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { BillingPeriodUpdater, type BillingPeriodRunResult } from '../billing-period-updater';
import { UpdateBillingPeriodsCommand } from './update-billing-periods.command';

@CommandHandler(UpdateBillingPeriodsCommand)
export class UpdateBillingPeriodsHandler implements ICommandHandler<UpdateBillingPeriodsCommand> {
  constructor(private readonly updater: BillingPeriodUpdater) {}

  execute(command: UpdateBillingPeriodsCommand): Promise<BillingPeriodRunResult> {
    return this.updater.run(command);
  }
}
