import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { BillingPeriod } from '@app/domain';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { pageOf, PaginationQuery, type ListResponse } from '../../common/http/pagination';
import { Meta, type CommandMeta } from '../../common/request/request-context';
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
  @ApiOkResponse({ type: BillingPeriodListResponse })
  @ApiErrors(400, 401, 404)
  async list(
    @Param('id') id: string,
    @Query() query: PaginationQuery,
    @Meta() meta: CommandMeta,
  ): Promise<ListResponse<BillingPeriod>> {
    return this.queries.execute(new ListBillingPeriodsQuery(meta.tenantId, id, pageOf(query)));
  }
}
