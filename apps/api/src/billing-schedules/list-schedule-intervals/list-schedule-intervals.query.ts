import { Query } from '@nestjs/cqrs';
import type { ScheduleInterval } from '@app/domain';

export class ListScheduleIntervalsQuery extends Query<ScheduleInterval[]> {
  constructor(
    readonly tenantId: string,
    readonly scheduleId: string,
  ) {
    super();
  }
}
