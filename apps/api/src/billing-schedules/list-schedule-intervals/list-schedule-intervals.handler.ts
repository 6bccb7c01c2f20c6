import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ScheduleInterval } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListScheduleIntervalsQuery } from './list-schedule-intervals.query';

@QueryHandler(ListScheduleIntervalsQuery)
export class ListScheduleIntervalsHandler implements IQueryHandler<ListScheduleIntervalsQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  async execute({
    tenantId,
    scheduleId,
    asOf,
  }: ListScheduleIntervalsQuery): Promise<AtVersion<ScheduleInterval[]>> {
    const { version, intervals } = await this.reader.schedule(tenantId, scheduleId, asOf);
    return { version, data: intervals };
  }
}
