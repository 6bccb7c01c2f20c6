import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import type { Response } from 'express';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
import { instant } from '../../common/validation/schemas';
import { presentSchedule } from '../billing-schedule.presenter';
import { BillingScheduleResponse } from '../billing-schedule.responses';
import { GetBillingScheduleQuery } from './get-billing-schedule.query';

export class GetBillingScheduleParams extends createZodDto(
  z.object({
    asOf: instant().optional().meta({ description: 'answer the state as it was then' }),
  }),
) {}

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class GetBillingScheduleController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ operationId: 'getBillingSchedule', summary: 'Get a billing schedule' })
  @ApiOkResponse({ type: BillingScheduleResponse })
  @ApiErrors(400, 401, 404)
  async get(
    @Param('id') id: string,
    @Query() query: GetBillingScheduleParams,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BillingScheduleResponse> {
    const schedule = await this.queries.execute(
      new GetBillingScheduleQuery(meta.tenantId, id, query.asOf),
    );
    response.setHeader('ETag', etagOf(schedule.version));
    return presentSchedule(schedule);
  }
}
