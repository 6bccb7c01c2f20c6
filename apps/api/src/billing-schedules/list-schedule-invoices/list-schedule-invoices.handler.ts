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
    // Each key parsed once: a schedule can hold thousands of invoices.
    return invoices
      .map((invoice) => ({ invoice, start: Date.parse(invoice.periodStart) }))
      .sort((a, b) => b.start - a.start)
      .map(({ invoice }) => invoice);
  }
}
