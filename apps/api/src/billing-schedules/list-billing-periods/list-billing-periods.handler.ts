import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { billingPeriodCalculator, type BillingPeriod } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';
import { listOf, type ListResponse } from '../../common/http/pagination';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListBillingPeriodsQuery } from './list-billing-periods.query';

/**
 * Computes the requested page only (the total is counted, not computed), one period at a
 * time with a turn of the event loop in between: a period has at most
 * SCHEDULE_LIMITS.linesPerPeriod lines, so no request holds the loop for long.
 */
@QueryHandler(ListBillingPeriodsQuery)
export class ListBillingPeriodsHandler implements IQueryHandler<ListBillingPeriodsQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  async execute({
    tenantId,
    scheduleId,
    page,
    asOf,
  }: ListBillingPeriodsQuery): Promise<AtVersion<ListResponse<BillingPeriod>>> {
    const schedule = await this.reader.schedule(tenantId, scheduleId, asOf);
    const calculator = billingPeriodCalculator(schedule, schedule.intervals);
    const data: BillingPeriod[] = [];
    const end = Math.min(page.offset + page.limit, calculator.count);
    for (let index = page.offset; index < end; index++) {
      data.push(...calculator.periods(index, index + 1));
      await yieldToEventLoop();
    }
    return { version: schedule.version, data: listOf(data, page, calculator.count) };
  }
}
