import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { BillingSchedulesModule } from '../billing-schedules/billing-schedules.module';
import { ApiValidationPipe } from '../common/validation/api-validation.pipe';
import { BillingPeriodUpdater } from './billing-period-updater';
import { PeriodicBillingPeriodRunner } from './periodic-billing-period-runner';
import { UpdateBillingPeriodsController } from './update-billing-periods/update-billing-periods.controller';
import { UpdateBillingPeriodsHandler } from './update-billing-periods/update-billing-periods.handler';

@Module({
  imports: [CqrsModule, ScheduleModule.forRoot(), BillingSchedulesModule],
  controllers: [UpdateBillingPeriodsController],
  providers: [
    BillingPeriodUpdater,
    PeriodicBillingPeriodRunner,
    UpdateBillingPeriodsHandler,
    ApiValidationPipe,
  ],
  exports: [BillingPeriodUpdater, PeriodicBillingPeriodRunner],
})
export class BillingPeriodTaskModule {}
