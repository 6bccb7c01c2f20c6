import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ScheduleInvoice } from '@app/domain';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListScheduleInvoicesQuery } from './list-schedule-invoices.query';

@QueryHandler(ListScheduleInvoicesQuery)
export class ListScheduleInvoicesHandler implements IQueryHandler<ListScheduleInvoicesQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  /** Newest period first. */
  async execute({ tenantId, scheduleId }: ListScheduleInvoicesQuery): Promise<ScheduleInvoice[]> {
    const { invoices } = await this.reader.current(tenantId, scheduleId);
    return [...invoices].sort((a, b) => Date.parse(b.periodStart) - Date.parse(a.periodStart));
  }
}
