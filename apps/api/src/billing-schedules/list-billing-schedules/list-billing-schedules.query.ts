import { Query } from '@nestjs/cqrs';
import type { BillingSchedule } from '@app/domain';
import type { BillingScheduleFilter, Page, PageOf } from '@app/read-models';

export class ListBillingSchedulesQuery extends Query<PageOf<BillingSchedule>> {
  constructor(
    readonly tenantId: string,
    readonly filter: BillingScheduleFilter,
    readonly page: Page,
    readonly asOf?: string,
  ) {
    super();
  }
}
