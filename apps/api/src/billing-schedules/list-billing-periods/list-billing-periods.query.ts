import { Query } from '@nestjs/cqrs';
import type { BillingPeriod } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';

/** What the schedule answered at `asOf` (undefined = now), with the version it reflects. */
export class ListBillingPeriodsQuery extends Query<AtVersion<BillingPeriod[]>> {
  constructor(
    readonly tenantId: string,
    readonly scheduleId: string,
    readonly asOf?: string,
  ) {
    super();
  }
}
