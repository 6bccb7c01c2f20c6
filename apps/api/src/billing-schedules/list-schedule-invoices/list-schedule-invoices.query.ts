import { Query } from '@nestjs/cqrs';
import type { ScheduleInvoice } from '@app/domain';

export class ListScheduleInvoicesQuery extends Query<ScheduleInvoice[]> {
  constructor(
    readonly tenantId: string,
    readonly scheduleId: string,
  ) {
    super();
  }
}
