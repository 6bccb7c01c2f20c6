import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import type { FastifyReply } from 'fastify';
import { AsOfQuery, VERSION_ETAG } from '../../common/history/as-of';
import { etagOf, Meta, type CommandMeta } from '../../common/request/request-context';
import { AccountPathParams } from '../account-schedule.dto';
import { AccountLicensesResponse } from '../account-schedule.responses';
import { GetAccountLicensesQuery } from './get-account-licenses.query';

@ApiTags('Account schedules')
@Controller('v2/accounts')
export class GetAccountLicensesController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':account_id/licenses')
  @ApiOperation({
    operationId: 'getAccountLicenses',
    summary: 'The licenses of an account, as granted by finalize pre-actions',
  })
  @ApiOkResponse({ type: AccountLicensesResponse, headers: VERSION_ETAG })
  @ApiErrors(400, 401)
  async licenses(
    @Param() params: AccountPathParams,
    @Query() query: AsOfQuery,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<AccountLicensesResponse> {
    const { version, data: licenses } = await this.queries.execute(
      new GetAccountLicensesQuery(meta.tenantId, params.account_id, query.asOf),
    );
    response.header('ETag', etagOf(version));
    return {
      data: licenses.map(({ licenseId, quantity, effectiveFrom, updatedAt }) => ({
        licenseId,
        quantity,
        effectiveFrom,
        updatedAt,
      })),
    };
  }
}
