import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  billingPeriodCalculator,
  NotFound,
  type BillingPeriod,
  type BillingPeriodCalculator,
  type BillingSchedule,
} from '@app/domain';
import {
  BILLING_PERIODS_READ_MODEL,
  type BillingPeriodsReadModel,
  type Page,
} from '@app/read-models';
import { TimeTravel, type AtVersion } from '../../common/history/as-of';
import { listOf, type ListResponse } from '../../common/http/pagination';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListBillingPeriodsQuery } from './list-billing-periods.query';

/** Calculators of past versions recently read with ?asOf, by schedule and version. */
const CALCULATOR_CACHE_SIZE = 32;

/**
 * Live reads are a lookup in the periods read model, which stores every schedule's periods
 * when its terms or intervals change. `?asOf` folds the stream up to then: a past version
 * equal to the live one reads the stored periods, an older one computes the requested page.
 */
@QueryHandler(ListBillingPeriodsQuery)
export class ListBillingPeriodsHandler implements IQueryHandler<ListBillingPeriodsQuery> {
  private readonly calculators = new Map<string, BillingPeriodCalculator>();

  constructor(
    private readonly reader: BillingScheduleReader,
    @Inject(BILLING_PERIODS_READ_MODEL) private readonly periods: BillingPeriodsReadModel,
    private readonly timeTravel: TimeTravel,
  ) {}

  async execute({
    tenantId,
    scheduleId,
    page,
    asOf,
  }: ListBillingPeriodsQuery): Promise<AtVersion<ListResponse<BillingPeriod>>> {
    const past = this.timeTravel.pastInstant(asOf);
    const stored = await this.periods.page(tenantId, scheduleId, page);
    if (past === undefined) {
      if (!stored) throw new NotFound(`billing schedule ${scheduleId} not found`);
      if (stored.materialised) {
        return { version: stored.version, data: listOf(stored.data, page, stored.total) };
      }
    }
    const schedule = await this.reader.schedule(tenantId, scheduleId, past);
    if (stored?.materialised && stored.version === schedule.version) {
      return { version: stored.version, data: listOf(stored.data, page, stored.total) };
    }
    return { version: schedule.version, data: await this.computePage(schedule, page) };
  }

  /**
   * The requested page only (the total is counted, not computed), one period at a time with a
   * turn of the event loop in between: a period has at most SCHEDULE_LIMITS.linesPerPeriod
   * lines, so no request holds the loop for long.
   */
  private async computePage(
    schedule: BillingSchedule,
    page: Page,
  ): Promise<ListResponse<BillingPeriod>> {
    const calculator = this.calculator(schedule);
    const data: BillingPeriod[] = [];
    const end = Math.min(page.offset + page.limit, calculator.count);
    for (let index = page.offset; index < end; index++) {
      data.push(...calculator.periods(index, index + 1));
      await yieldToEventLoop();
    }
    return listOf(data, page, calculator.count);
  }

  private calculator(schedule: BillingSchedule): BillingPeriodCalculator {
    const key = `${schedule.id}@${schedule.version}`;
    let calculator = this.calculators.get(key);
    if (calculator) {
      this.calculators.delete(key);
    } else {
      calculator = billingPeriodCalculator(schedule, schedule.intervals);
      if (this.calculators.size >= CALCULATOR_CACHE_SIZE) {
        this.calculators.delete(this.calculators.keys().next().value as string);
      }
    }
    this.calculators.set(key, calculator);
    return calculator;
  }
}
