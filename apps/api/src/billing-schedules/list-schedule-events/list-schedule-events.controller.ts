import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { toEnvelope, type EventEnvelope } from '@app/messaging';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import type { FastifyReply } from 'fastify';
import { PaginationAsOfQuery, VERSION_ETAG } from '../../common/history/as-of';
import { paginate, type ListResponse } from '../../common/http/pagination';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
import { EventEnvelopeListResponse } from '../billing-schedule.responses';
import { ListScheduleEventsQuery } from './list-schedule-events.query';

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class ListScheduleEventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/events')
  @ApiOperation({
    operationId: 'listScheduleEvents',
    summary: 'The schedule’s event stream, oldest first, in the published envelope',
  })
  @ApiOkResponse({ type: EventEnvelopeListResponse, headers: VERSION_ETAG })
  @ApiErrors(400, 401, 404)
  async list(
    @Param('id') id: string,
    @Query() query: PaginationAsOfQuery,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ListResponse<EventEnvelope>> {
    const { version, data: events } = await this.queries.execute(
      new ListScheduleEventsQuery(meta.tenantId, id, query.asOf),
    );
    response.header('ETag', etagOf(version));
    return paginate(events, query, toEnvelope);
  }
}
