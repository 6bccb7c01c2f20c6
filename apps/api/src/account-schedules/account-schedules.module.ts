import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TimeTravel } from '../common/history/as-of';
import { AccountScheduleCommandRunner } from './account-schedule-command-runner';
import { AccountScheduleReader } from './account-schedule.reader';
import { DiscardAccountSchedulesController } from './discard-account-schedules/discard-account-schedules.controller';
import { DiscardAccountSchedulesHandler } from './discard-account-schedules/discard-account-schedules.handler';
import { EditAccountSchedulesController } from './edit-account-schedules/edit-account-schedules.controller';
import { EditAccountSchedulesHandler } from './edit-account-schedules/edit-account-schedules.handler';
import { FinalizeAccountSchedulesController } from './finalize-account-schedules/finalize-account-schedules.controller';
import { FinalizeAccountSchedulesHandler } from './finalize-account-schedules/finalize-account-schedules.handler';
import { GetAccountLicensesController } from './get-account-licenses/get-account-licenses.controller';
import { GetAccountLicensesHandler } from './get-account-licenses/get-account-licenses.handler';
import { GetPricingCyclesController } from './get-pricing-cycles/get-pricing-cycles.controller';
import { GetPricingCyclesHandler } from './get-pricing-cycles/get-pricing-cycles.handler';
import { ListAccountEventsController } from './list-account-events/list-account-events.controller';
import { ListAccountEventsHandler } from './list-account-events/list-account-events.handler';
import { ListAccountSchedulesController } from './list-account-schedules/list-account-schedules.controller';
import { ListAccountSchedulesHandler } from './list-account-schedules/list-account-schedules.handler';

/** Togai account schedules (`/v2/accounts/{account_id}/…`, SPEC §4). */
@Module({
  imports: [CqrsModule],
  controllers: [
    EditAccountSchedulesController,
    ListAccountSchedulesController,
    FinalizeAccountSchedulesController,
    DiscardAccountSchedulesController,
    GetAccountLicensesController,
    GetPricingCyclesController,
    ListAccountEventsController,
  ],
  providers: [
    AccountScheduleCommandRunner,
    AccountScheduleReader,
    TimeTravel,
    EditAccountSchedulesHandler,
    FinalizeAccountSchedulesHandler,
    DiscardAccountSchedulesHandler,
    ListAccountSchedulesHandler,
    GetAccountLicensesHandler,
    GetPricingCyclesHandler,
    ListAccountEventsHandler,
  ],
})
export class AccountSchedulesModule {}
