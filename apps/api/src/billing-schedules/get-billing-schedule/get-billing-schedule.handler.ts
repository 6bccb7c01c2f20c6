import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { BillingSchedule } from '@app/domain';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { GetBillingScheduleQuery } from './get-billing-schedule.query';

@QueryHandler(GetBillingScheduleQuery)
export class GetBillingScheduleHandler implements IQueryHandler<GetBillingScheduleQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  execute({ tenantId, scheduleId, asOf }: GetBillingScheduleQuery): Promise<BillingSchedule> {
    return this.reader.schedule(tenantId, scheduleId, asOf);
  }
}
