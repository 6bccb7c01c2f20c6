import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ScheduleInvoice } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListScheduleInvoicesQuery } from './list-schedule-invoices.query';

@QueryHandler(ListScheduleInvoicesQuery)
export class ListScheduleInvoicesHandler implements IQueryHandler<ListScheduleInvoicesQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  /** Newest period first. */
  async execute({
    tenantId,
    scheduleId,
    asOf,
  }: ListScheduleInvoicesQuery): Promise<AtVersion<ScheduleInvoice[]>> {
    const { version, invoices } = await this.reader.schedule(tenantId, scheduleId, asOf);
    // Each key parsed once: a schedule can hold thousands of invoices.
    const data = invoices
      .map((invoice) => ({ invoice, start: Date.parse(invoice.periodStart) }))
      .sort((a, b) => b.start - a.start)
      .map(({ invoice }) => invoice);
    return { version, data };
  }
}
