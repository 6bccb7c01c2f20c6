import { Query } from '@nestjs/cqrs';
import type { AccountSchedule } from '@app/domain';
import type { ScheduleMode } from '../account-schedule.dto';

/** The ACTIVE or DRAFT windows of an account, sorted by startDate. */
export class ListAccountSchedulesQuery extends Query<AccountSchedule[]> {
  constructor(
    readonly tenantId: string,
    readonly accountId: string,
    readonly mode: ScheduleMode,
  ) {
    super();
  }
}
