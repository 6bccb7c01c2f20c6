import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { IntervalInput } from '@app/domain';
import { paginate, type ListResponse } from '../../common/http/pagination';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
import { ReplaceScheduleIntervalsDto } from '../billing-schedule.dto';
import { presentInterval } from '../billing-schedule.presenter';
import {
  ScheduleIntervalListResponse,
  type ScheduleIntervalResponse,
} from '../billing-schedule.responses';
import { ReplaceScheduleIntervalsCommand } from './replace-schedule-intervals.command';

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class ReplaceScheduleIntervalsController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':id/intervals')
  @ApiOperation({ operationId: 'replaceScheduleIntervals', summary: 'Replace schedule intervals' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version last read' })
  @ApiOkResponse({ type: ScheduleIntervalListResponse, description: 'Intervals replaced' })
  @ApiErrors(400, 401, 404, 409, 413)
  async replace(
    @Param('id') id: string,
    @Body() body: ReplaceScheduleIntervalsDto,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ListResponse<ScheduleIntervalResponse>> {
    const intervals = body.intervals as IntervalInput[];
    const schedule = await this.commands.execute(
      new ReplaceScheduleIntervalsCommand(id, intervals, body.orderLineItemId, meta),
    );
    response.header('ETag', etagOf(schedule.version));
    const data = schedule.intervals.map((interval) => presentInterval(schedule.id, interval));
    // The first page of the resulting set, under the /v0 list rules (limit 50 by default).
    return paginate(data, {});
  }
}
