import { Query } from '@nestjs/cqrs';
import type { BillingSchedule } from '@app/domain';

export class GetBillingScheduleQuery extends Query<BillingSchedule> {
  constructor(
    readonly tenantId: string,
    readonly scheduleId: string,
    readonly asOf?: string,
  ) {
    super();
  }
}
