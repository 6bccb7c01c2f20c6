import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { listOf, type ListResponse } from '../../common/http/pagination';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { Meta, type CommandMeta } from '../../common/request/request-context';
import { presentInvoice } from '../billing-schedule.presenter';
import {
  ScheduleInvoiceListResponse,
  type ScheduleInvoiceResponse,
} from '../billing-schedule.responses';
import { GenerateScheduleInvoicesCommand } from './generate-schedule-invoices.command';

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class GenerateScheduleInvoicesController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/invoices')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'generateScheduleInvoices',
    summary: 'Stage one invoice per period that has lines (re-running replaces staged ones)',
  })
  @ApiCreatedResponse({ type: ScheduleInvoiceListResponse })
  @ApiErrors(400, 401, 404, 409, 413)
  async generate(
    @Param('id') id: string,
    @Meta() meta: CommandMeta,
  ): Promise<ListResponse<ScheduleInvoiceResponse>> {
    const invoices = await this.commands.execute(new GenerateScheduleInvoicesCommand(id, meta));
    const data = invoices.map(presentInvoice);
    return listOf(data, { limit: data.length, offset: 0 }, data.length);
  }
}
