import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { billingPeriods, type BillingPeriod } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListBillingPeriodsQuery } from './list-billing-periods.query';

@QueryHandler(ListBillingPeriodsQuery)
export class ListBillingPeriodsHandler implements IQueryHandler<ListBillingPeriodsQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  async execute({
    tenantId,
    scheduleId,
    asOf,
  }: ListBillingPeriodsQuery): Promise<AtVersion<BillingPeriod[]>> {
    const schedule = await this.reader.schedule(tenantId, scheduleId, asOf);
    return { version: schedule.version, data: billingPeriods(schedule, schedule.intervals) };
  }
}
