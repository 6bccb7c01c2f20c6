import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import type { FastifyReply } from 'fastify';
import { PaginationAsOfQuery, VERSION_ETAG } from '../../common/history/as-of';
import { paginate, type ListResponse } from '../../common/http/pagination';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
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
  @ApiOkResponse({ type: ScheduleInvoiceListResponse, headers: VERSION_ETAG })
  @ApiErrors(400, 401, 404)
  async list(
    @Param('id') id: string,
    @Query() query: PaginationAsOfQuery,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ListResponse<ScheduleInvoiceResponse>> {
    const { version, data: invoices } = await this.queries.execute(
      new ListScheduleInvoicesQuery(meta.tenantId, id, query.asOf),
    );
    response.header('ETag', etagOf(version));
    return paginate(invoices, query, presentInvoice);
  }
}
