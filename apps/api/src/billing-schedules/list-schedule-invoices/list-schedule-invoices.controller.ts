import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { paginate, PaginationQuery, type ListResponse } from '../../common/http/pagination';
import { Meta, type CommandMeta } from '../../common/request/request-context';
import { presentInvoice } from '../billing-schedule.presenter';
import {
  ScheduleInvoiceListResponse,
  type ScheduleInvoiceResponse,
} from '../billing-schedule.responses';
import { ListScheduleInvoicesQuery } from './list-schedule-invoices.query';

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class ListScheduleInvoicesController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/invoices')
  @ApiOperation({
    operationId: 'listScheduleInvoices',
    summary: 'List invoices, newest period first',
  })
  @ApiOkResponse({ type: ScheduleInvoiceListResponse })
  @ApiErrors(400, 401, 404)
  async list(
    @Param('id') id: string,
    @Query() query: PaginationQuery,
    @Meta() meta: CommandMeta,
  ): Promise<ListResponse<ScheduleInvoiceResponse>> {
    const invoices = await this.queries.execute(new ListScheduleInvoicesQuery(meta.tenantId, id));
    return paginate(invoices, query, presentInvoice);
  }
}
