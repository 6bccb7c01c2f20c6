import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { toEnvelope } from '@app/messaging';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import type { FastifyReply } from 'fastify';
import { VERSION_ETAG } from '../../common/history/as-of';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
import { AccountPathParams, TokenPageParams } from '../account-schedule.dto';
import { AccountEventsPaginatedResponse } from '../account-schedule.responses';
import { tokenPage } from '../page-token';
import { ListAccountEventsQuery } from './list-account-events.query';

@ApiTags('Account schedules')
@Controller('v2/accounts')
export class ListAccountEventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':account_id/events')
  @ApiOperation({
    operationId: 'listAccountScheduleEvents',
    summary: 'The account’s event stream, oldest first, in the published envelope',
  })
  @ApiOkResponse({ type: AccountEventsPaginatedResponse, headers: VERSION_ETAG })
  @ApiErrors(400, 401)
  async list(
    @Param() params: AccountPathParams,
    @Query() query: TokenPageParams,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<AccountEventsPaginatedResponse> {
    const { version, data: events } = await this.queries.execute(
      new ListAccountEventsQuery(meta.tenantId, params.account_id, query.asOf),
    );
    response.header('ETag', etagOf(version));
    return tokenPage(events.map(toEnvelope), query, 'EVENTS') as AccountEventsPaginatedResponse;
  }
}
