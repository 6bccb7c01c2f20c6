import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { BillingSchedule } from '@app/domain';
import type { PageOf } from '@app/read-models';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListBillingSchedulesQuery } from './list-billing-schedules.query';

@QueryHandler(ListBillingSchedulesQuery)
export class ListBillingSchedulesHandler implements IQueryHandler<ListBillingSchedulesQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  execute({
    tenantId,
    filter,
    page,
    asOf,
  }: ListBillingSchedulesQuery): Promise<PageOf<BillingSchedule>> {
    return this.reader.list(tenantId, filter, page, asOf);
  }
}
