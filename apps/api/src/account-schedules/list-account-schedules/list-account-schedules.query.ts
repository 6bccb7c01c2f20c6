import { Query } from '@nestjs/cqrs';
import type { AccountSchedule } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';
import type { ScheduleMode } from '../account-schedule.dto';

/** The ACTIVE or DRAFT windows of an account at `asOf` (undefined = now), by startDate. */
export class ListAccountSchedulesQuery extends Query<AtVersion<AccountSchedule[]>> {
  constructor(
    readonly tenantId: string,
    readonly accountId: string,
    readonly mode: ScheduleMode,
    readonly asOf?: string,
  ) {
    super();
  }
}
