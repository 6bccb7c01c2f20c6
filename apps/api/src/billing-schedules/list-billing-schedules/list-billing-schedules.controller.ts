import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { SCHEDULE_STATUSES } from '@app/domain';
import { AsOfQuerySchema } from '../../common/history/as-of';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import {
  listOf,
  pageOf,
  PaginationQuerySchema,
  type ListResponse,
} from '../../common/http/pagination';
import { Meta, type CommandMeta } from '../../common/request/request-context';
import { oneOf, queryBoolean, text } from '../../common/validation/schemas';
import { presentSchedule } from '../billing-schedule.presenter';
import {
  BillingScheduleListResponse,
  type BillingScheduleResponse,
} from '../billing-schedule.responses';
import { ListBillingSchedulesQuery } from './list-billing-schedules.query';

export class ListBillingSchedulesParams extends createZodDto(
  PaginationQuerySchema.extend({
    ...AsOfQuerySchema.shape,
    status: oneOf(SCHEDULE_STATUSES).optional(),
    orderId: text(255, 0).optional(),
    subscriptionId: text(255, 0).optional(),
    includeDeleted: queryBoolean('also list soft-deleted schedules, with their deletedAt'),
  }),
) {}

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class ListBillingSchedulesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ operationId: 'listBillingSchedules', summary: 'List billing schedules' })
  @ApiOkResponse({ type: BillingScheduleListResponse })
  @ApiErrors(400, 401)
  async list(
    @Query() query: ListBillingSchedulesParams,
    @Meta() meta: CommandMeta,
  ): Promise<ListResponse<BillingScheduleResponse>> {
    const page = pageOf(query);
    const { status, orderId, subscriptionId, includeDeleted } = query;
    const result = await this.queries.execute(
      new ListBillingSchedulesQuery(
        meta.tenantId,
        { status, orderId, subscriptionId, includeDeleted },
        page,
        query.asOf,
      ),
    );
    return listOf(result.data.map(presentSchedule), page, result.total);
  }
}
