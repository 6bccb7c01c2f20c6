import { Query } from '@nestjs/cqrs';
import type { BillingPeriod } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';
import type { ListResponse } from '../../common/http/pagination';

/** One page of the schedule's periods at `asOf` (undefined = now), with the version it reflects. */
export class ListBillingPeriodsQuery extends Query<AtVersion<ListResponse<BillingPeriod>>> {
  constructor(
    readonly tenantId: string,
    readonly scheduleId: string,
    readonly page: { limit: number; offset: number },
    readonly asOf?: string,
  ) {
    super();
  }
}
