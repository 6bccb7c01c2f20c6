import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ScheduleInvoice } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListScheduleInvoicesQuery } from './list-schedule-invoices.query';

@QueryHandler(ListScheduleInvoicesQuery)
export class ListScheduleInvoicesHandler implements IQueryHandler<ListScheduleInvoicesQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  /**
   * Newest period first. The fold keeps a schedule's invoices ordered by period start (one
   * invoice per period, evolve merges each staging run in), so the order is already stored:
   * reading it backwards needs no sort.
   */
  async execute({
    tenantId,
    scheduleId,
    asOf,
  }: ListScheduleInvoicesQuery): Promise<AtVersion<ScheduleInvoice[]>> {
    const { version, invoices } = await this.reader.schedule(tenantId, scheduleId, asOf);
    return { version, data: invoices.toReversed() };
  }
}
