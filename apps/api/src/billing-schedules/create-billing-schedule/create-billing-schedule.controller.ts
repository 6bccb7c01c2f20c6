import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ScheduleInput } from '@app/domain';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
import { CreateBillingScheduleDto } from '../billing-schedule.dto';
import { presentSchedule } from '../billing-schedule.presenter';
import { BillingScheduleResponse } from '../billing-schedule.responses';
import { CreateBillingScheduleCommand } from './create-billing-schedule.command';

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class CreateBillingScheduleController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ operationId: 'createBillingSchedule', summary: 'Create a billing schedule' })
  @ApiCreatedResponse({ type: BillingScheduleResponse, description: 'BillingSchedule created' })
  @ApiErrors(400, 401, 409, 413)
  async create(
    @Body() body: CreateBillingScheduleDto,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<BillingScheduleResponse> {
    const schedule = await this.commands.execute(
      new CreateBillingScheduleCommand(body as ScheduleInput, meta),
    );
    response.header('ETag', etagOf(schedule.version));
    return presentSchedule(schedule);
  }
}
