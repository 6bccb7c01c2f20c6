import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { BillingSchedule } from '@app/domain';
import {
  BILLING_SCHEDULE_READ_MODEL,
  type BillingScheduleReadModel,
  type PageOf,
} from '@app/read-models';
import { ListBillingSchedulesQuery } from './list-billing-schedules.query';

@QueryHandler(ListBillingSchedulesQuery)
export class ListBillingSchedulesHandler implements IQueryHandler<ListBillingSchedulesQuery> {
  constructor(
    @Inject(BILLING_SCHEDULE_READ_MODEL) private readonly readModel: BillingScheduleReadModel,
  ) {}

  execute({ tenantId, filter, page }: ListBillingSchedulesQuery): Promise<PageOf<BillingSchedule>> {
    return this.readModel.list(tenantId, filter, page);
  }
}
