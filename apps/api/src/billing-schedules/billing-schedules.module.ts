import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TimeTravel } from '../common/history/as-of';
import { BillingScheduleCommandRunner } from './billing-schedule-command-runner';
import { BillingScheduleReader } from './billing-schedule.reader';
import { CreateBillingScheduleController } from './create-billing-schedule/create-billing-schedule.controller';
import { CreateBillingScheduleHandler } from './create-billing-schedule/create-billing-schedule.handler';
import { DeleteBillingScheduleController } from './delete-billing-schedule/delete-billing-schedule.controller';
import { DeleteBillingScheduleHandler } from './delete-billing-schedule/delete-billing-schedule.handler';
import { GenerateScheduleInvoicesController } from './generate-schedule-invoices/generate-schedule-invoices.controller';
import { GenerateScheduleInvoicesHandler } from './generate-schedule-invoices/generate-schedule-invoices.handler';
import { GetBillingScheduleController } from './get-billing-schedule/get-billing-schedule.controller';
import { GetBillingScheduleHandler } from './get-billing-schedule/get-billing-schedule.handler';
import { ListBillingPeriodsController } from './list-billing-periods/list-billing-periods.controller';
import { ListBillingPeriodsHandler } from './list-billing-periods/list-billing-periods.handler';
import { ListBillingSchedulesController } from './list-billing-schedules/list-billing-schedules.controller';
import { ListBillingSchedulesHandler } from './list-billing-schedules/list-billing-schedules.handler';
import { ListScheduleEventsController } from './list-schedule-events/list-schedule-events.controller';
import { ListScheduleEventsHandler } from './list-schedule-events/list-schedule-events.handler';
import { ListScheduleIntervalsController } from './list-schedule-intervals/list-schedule-intervals.controller';
import { ListScheduleIntervalsHandler } from './list-schedule-intervals/list-schedule-intervals.handler';
import { ListScheduleInvoicesController } from './list-schedule-invoices/list-schedule-invoices.controller';
import { ListScheduleInvoicesHandler } from './list-schedule-invoices/list-schedule-invoices.handler';
import { ReplaceScheduleIntervalsController } from './replace-schedule-intervals/replace-schedule-intervals.controller';
import { ReplaceScheduleIntervalsHandler } from './replace-schedule-intervals/replace-schedule-intervals.handler';
import { UpdateBillingScheduleController } from './update-billing-schedule/update-billing-schedule.controller';
import { UpdateBillingScheduleHandler } from './update-billing-schedule/update-billing-schedule.handler';

@Module({
  imports: [CqrsModule],
  controllers: [
    CreateBillingScheduleController,
    ListBillingSchedulesController,
    GetBillingScheduleController,
    UpdateBillingScheduleController,
    DeleteBillingScheduleController,
    ListScheduleIntervalsController,
    ReplaceScheduleIntervalsController,
    ListBillingPeriodsController,
    GenerateScheduleInvoicesController,
    ListScheduleInvoicesController,
    ListScheduleEventsController,
  ],
  providers: [
    BillingScheduleCommandRunner,
    BillingScheduleReader,
    TimeTravel,
    CreateBillingScheduleHandler,
    UpdateBillingScheduleHandler,
    DeleteBillingScheduleHandler,
    ReplaceScheduleIntervalsHandler,
    GenerateScheduleInvoicesHandler,
    GetBillingScheduleHandler,
    ListBillingSchedulesHandler,
    ListScheduleIntervalsHandler,
    ListBillingPeriodsHandler,
    ListScheduleInvoicesHandler,
    ListScheduleEventsHandler,
  ],
  exports: [BillingScheduleCommandRunner, BillingScheduleReader],
})
export class BillingSchedulesModule {}
