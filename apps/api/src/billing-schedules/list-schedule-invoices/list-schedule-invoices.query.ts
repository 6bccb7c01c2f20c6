import { Query } from '@nestjs/cqrs';
import type { ScheduleInvoice } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';

/** What the schedule answered at `asOf` (undefined = now), with the version it reflects. */
export class ListScheduleInvoicesQuery extends Query<AtVersion<ScheduleInvoice[]>> {
  constructor(
    readonly tenantId: string,
    readonly scheduleId: string,
    readonly asOf?: string,
  ) {
    super();
  }
}
