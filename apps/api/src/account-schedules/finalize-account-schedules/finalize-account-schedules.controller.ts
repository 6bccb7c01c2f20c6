import { Body, Controller, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { Meta, type CommandMeta } from '../../common/request/request-context';
import {
  AccountPathParams,
  FinalizeAccountSchedules,
  FinalizePageParams,
} from '../account-schedule.dto';
import { presentAccountSchedule } from '../account-schedule.presenter';
import { SchedulesPaginatedResponse } from '../account-schedule.responses';
import { tokenPage } from '../page-token';
import { AbsentBodyAsEmptyObject } from './absent-body-as-empty.interceptor';
import { FinalizeAccountSchedulesCommand } from './finalize-account-schedules.command';

@ApiTags('Account schedules')
@Controller('v2/accounts')
export class FinalizeAccountSchedulesController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':account_id/finalize_schedules')
  @HttpCode(200)
  @UseInterceptors(AbsentBodyAsEmptyObject)
  @ApiOperation({
    operationId: 'finalizeAccountSchedules',
    summary: 'Finalize schedules of an account',
    description:
      'Runs the pre-actions and makes the draft ACTIVE: it replaces the ACTIVE timeline, or with ' +
      '`mergeSchedules: true` its edits are replayed onto it. 409 when there is no draft.',
  })
  @ApiOkResponse({
    type: SchedulesPaginatedResponse,
    description:
      'The first page (pageSize, default 10) of the resulting ACTIVE set; nextToken continues ' +
      'it with GET …/schedules?mode=ACTIVE',
  })
  @ApiErrors(400, 401, 409, 413)
  async finalize(
    @Param() params: AccountPathParams,
    @Body() body: FinalizeAccountSchedules,
    @Query() query: FinalizePageParams,
    @Meta() meta: CommandMeta,
  ): Promise<SchedulesPaginatedResponse> {
    const active = await this.commands.execute(
      new FinalizeAccountSchedulesCommand(
        params.account_id,
        body.mergeSchedules ?? false,
        body.preActions ?? [],
        meta,
      ),
    );
    const page = tokenPage(active, query, 'ACTIVE');
    return { ...page, data: page.data.map(presentAccountSchedule) };
  }
}
