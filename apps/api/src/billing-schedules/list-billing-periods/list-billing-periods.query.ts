import { Query } from '@nestjs/cqrs';
import type { BillingPeriod } from '@app/domain';
import type { ListResponse } from '../../common/http/pagination';

export class ListBillingPeriodsQuery extends Query<ListResponse<BillingPeriod>> {
  constructor(
    readonly tenantId: string,
    readonly scheduleId: string,
    readonly page: { limit: number; offset: number },
  ) {
    super();
  }
}
