import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import type { FastifyReply } from 'fastify';
import { VERSION_ETAG } from '../../common/history/as-of';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
import { AccountPathParams, ListAccountSchedulesParams } from '../account-schedule.dto';
import { presentAccountSchedule } from '../account-schedule.presenter';
import { SchedulesPaginatedResponse } from '../account-schedule.responses';
import { tokenPage } from '../page-token';
import { ListAccountSchedulesQuery } from './list-account-schedules.query';

@ApiTags('Account schedules')
@Controller('v2/accounts')
export class ListAccountSchedulesController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':account_id/schedules')
  @ApiOperation({
    operationId: 'listAccountSchedules',
    summary: 'List the ACTIVE (default) or DRAFT schedules of an account, by startDate',
  })
  @ApiOkResponse({ type: SchedulesPaginatedResponse, headers: VERSION_ETAG })
  @ApiErrors(400, 401)
  async list(
    @Param() params: AccountPathParams,
    @Query() query: ListAccountSchedulesParams,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<SchedulesPaginatedResponse> {
    const mode = query.mode ?? 'ACTIVE';
    const { version, data: schedules } = await this.queries.execute(
      new ListAccountSchedulesQuery(meta.tenantId, params.account_id, mode, query.asOf),
    );
    response.header('ETag', etagOf(version));
    const page = tokenPage(schedules, query, mode);
    return { ...page, data: page.data.map(presentAccountSchedule) };
  }
}
