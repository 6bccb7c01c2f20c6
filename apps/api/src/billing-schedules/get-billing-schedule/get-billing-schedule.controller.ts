import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AsOfQuery, VERSION_ETAG } from '../../common/history/as-of';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
import { presentSchedule } from '../billing-schedule.presenter';
import { BillingScheduleResponse } from '../billing-schedule.responses';
import { GetBillingScheduleQuery } from './get-billing-schedule.query';

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class GetBillingScheduleController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ operationId: 'getBillingSchedule', summary: 'Get a billing schedule' })
  @ApiOkResponse({ type: BillingScheduleResponse, headers: VERSION_ETAG })
  @ApiErrors(400, 401, 404)
  async get(
    @Param('id') id: string,
    @Query() query: AsOfQuery,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<BillingScheduleResponse> {
    const schedule = await this.queries.execute(
      new GetBillingScheduleQuery(meta.tenantId, id, query.asOf),
    );
    response.header('ETag', etagOf(schedule.version));
    return presentSchedule(schedule);
  }
}
