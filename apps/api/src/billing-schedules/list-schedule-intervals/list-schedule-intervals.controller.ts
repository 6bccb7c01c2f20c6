import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import type { FastifyReply } from 'fastify';
import { PaginationAsOfQuery, VERSION_ETAG } from '../../common/history/as-of';
import { paginate, type ListResponse } from '../../common/http/pagination';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
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
  @ApiOkResponse({ type: ScheduleIntervalListResponse, headers: VERSION_ETAG })
  @ApiErrors(400, 401, 404)
  async list(
    @Param('id') id: string,
    @Query() query: PaginationAsOfQuery,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ListResponse<ScheduleIntervalResponse>> {
    const { version, data: intervals } = await this.queries.execute(
      new ListScheduleIntervalsQuery(meta.tenantId, id, query.asOf),
    );
    response.header('ETag', etagOf(version));
    return paginate(intervals, query, (interval) => presentInterval(id, interval));
  }
}
