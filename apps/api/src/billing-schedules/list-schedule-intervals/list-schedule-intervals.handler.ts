import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ScheduleInterval } from '@app/domain';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListScheduleIntervalsQuery } from './list-schedule-intervals.query';

@QueryHandler(ListScheduleIntervalsQuery)
export class ListScheduleIntervalsHandler implements IQueryHandler<ListScheduleIntervalsQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  async execute({ tenantId, scheduleId }: ListScheduleIntervalsQuery): Promise<ScheduleInterval[]> {
    return (await this.reader.current(tenantId, scheduleId)).intervals;
  }
}
