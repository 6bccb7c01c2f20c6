import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { paginate, PaginationQuery, type ListResponse } from '../../common/http/pagination';
import { Meta, type CommandMeta } from '../../common/request/request-context';
import { presentInterval } from '../billing-schedule.presenter';
import {
  ScheduleIntervalListResponse,
  type ScheduleIntervalResponse,
} from '../billing-schedule.responses';
import { ListScheduleIntervalsQuery } from './list-schedule-intervals.query';

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class ListScheduleIntervalsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/intervals')
  @ApiOperation({ operationId: 'listScheduleIntervals', summary: 'List schedule intervals' })
  @ApiOkResponse({ type: ScheduleIntervalListResponse })
  @ApiErrors(400, 401, 404)
  async list(
    @Param('id') id: string,
    @Query() query: PaginationQuery,
    @Meta() meta: CommandMeta,
  ): Promise<ListResponse<ScheduleIntervalResponse>> {
    const intervals = await this.queries.execute(new ListScheduleIntervalsQuery(meta.tenantId, id));
    return paginate(
      intervals.map((interval) => presentInterval(id, interval)),
      query,
    );
  }
}
