import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { BillingPeriod } from '@app/domain';
import { PaginationAsOfQuery, VERSION_ETAG } from '../../common/history/as-of';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { pageOf, type ListResponse } from '../../common/http/pagination';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
import { BillingPeriodListResponse } from '../billing-schedule.responses';
import { ListBillingPeriodsQuery } from './list-billing-periods.query';

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class ListBillingPeriodsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/periods')
  @ApiOperation({
    operationId: 'listBillingPeriods',
    summary: 'The schedule’s periods with stubs, proration, issue and due dates, amounts and lines',
  })
  @ApiOkResponse({ type: BillingPeriodListResponse, headers: VERSION_ETAG })
  @ApiErrors(400, 401, 404)
  async list(
    @Param('id') id: string,
    @Query() query: PaginationAsOfQuery,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ListResponse<BillingPeriod>> {
    const { version, data } = await this.queries.execute(
      new ListBillingPeriodsQuery(meta.tenantId, id, pageOf(query), query.asOf),
    );
    response.header('ETag', etagOf(version));
    return data;
  }
}
