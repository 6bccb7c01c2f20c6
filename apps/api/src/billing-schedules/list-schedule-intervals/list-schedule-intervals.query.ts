import { Query } from '@nestjs/cqrs';
import type { ScheduleInterval } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';

/** What the schedule answered at `asOf` (undefined = now), with the version it reflects. */
export class ListScheduleIntervalsQuery extends Query<AtVersion<ScheduleInterval[]>> {
  constructor(
    readonly tenantId: string,
    readonly scheduleId: string,
    readonly asOf?: string,
  ) {
    super();
  }
}
