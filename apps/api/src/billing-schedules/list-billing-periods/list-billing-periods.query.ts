import { Query } from '@nestjs/cqrs';
import type { BillingPeriod } from '@app/domain';

export class ListBillingPeriodsQuery extends Query<BillingPeriod[]> {
  constructor(
    readonly tenantId: string,
    readonly scheduleId: string,
  ) {
    super();
  }
}
