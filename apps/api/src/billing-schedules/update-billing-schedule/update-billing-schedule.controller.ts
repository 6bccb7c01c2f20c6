import { Body, Controller, Param, Patch, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { SchedulePatch } from '@app/domain';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
import { UpdateBillingScheduleDto } from '../billing-schedule.dto';
import { presentSchedule } from '../billing-schedule.presenter';
import { BillingScheduleResponse } from '../billing-schedule.responses';
import { UpdateBillingScheduleCommand } from './update-billing-schedule.command';

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class UpdateBillingScheduleController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':id')
  @ApiOperation({
    operationId: 'updateBillingSchedule',
    summary: 'Update a billing schedule (any create field, plus status)',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version last read' })
  @ApiOkResponse({ type: BillingScheduleResponse })
  @ApiErrors(400, 401, 404, 409, 413)
  async update(
    @Param('id') id: string,
    @Body() body: UpdateBillingScheduleDto,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<BillingScheduleResponse> {
    const schedule = await this.commands.execute(
      new UpdateBillingScheduleCommand(id, body as SchedulePatch, meta),
    );
    response.header('ETag', etagOf(schedule.version));
    return presentSchedule(schedule);
  }
}
