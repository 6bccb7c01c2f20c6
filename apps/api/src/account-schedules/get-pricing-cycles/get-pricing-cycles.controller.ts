import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import type { FastifyReply } from 'fastify';
import { VERSION_ETAG } from '../../common/history/as-of';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
import { AccountSchedulePathParams, PricingCyclesParams } from '../account-schedule.dto';
import { PricingCyclesResponse } from '../account-schedule.responses';
import { GetPricingCyclesQuery } from './get-pricing-cycles.query';

@ApiTags('Account schedules')
@Controller('v2/accounts')
export class GetPricingCyclesController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':account_id/schedules/:schedule_id/pricing_cycles')
  @ApiOperation({
    operationId: 'getPricingCycles',
    summary: 'The first `count` pricing cycles of an ACTIVE (else DRAFT) schedule',
  })
  @ApiOkResponse({ type: PricingCyclesResponse, headers: VERSION_ETAG })
  @ApiErrors(400, 401, 404)
  async cycles(
    @Param() params: AccountSchedulePathParams,
    @Query() query: PricingCyclesParams,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<PricingCyclesResponse> {
    const { version, data } = await this.queries.execute(
      new GetPricingCyclesQuery(
        meta.tenantId,
        params.account_id,
        params.schedule_id,
        query.count ?? 12,
        query.asOf,
      ),
    );
    response.header('ETag', etagOf(version));
    return { data };
  }
}
