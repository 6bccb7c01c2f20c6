import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { billingPeriods, type BillingPeriod } from '@app/domain';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListBillingPeriodsQuery } from './list-billing-periods.query';

@QueryHandler(ListBillingPeriodsQuery)
export class ListBillingPeriodsHandler implements IQueryHandler<ListBillingPeriodsQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  async execute({ tenantId, scheduleId }: ListBillingPeriodsQuery): Promise<BillingPeriod[]> {
    const schedule = await this.reader.current(tenantId, scheduleId);
    return billingPeriods(schedule, schedule.intervals);
  }
}
