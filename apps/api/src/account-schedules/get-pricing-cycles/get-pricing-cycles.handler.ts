import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InvalidOperation, NotFound, pricingCycles, type PricingCycle } from '@app/domain';
import { AccountScheduleReader } from '../account-schedule.reader';
import { GetPricingCyclesQuery } from './get-pricing-cycles.query';

/** Cycles of the ACTIVE window with that id, else of the DRAFT one, else 404. */
@QueryHandler(GetPricingCyclesQuery)
export class GetPricingCyclesHandler implements IQueryHandler<GetPricingCyclesQuery> {
  constructor(private readonly reader: AccountScheduleReader) {}

  async execute({
    tenantId,
    accountId,
    scheduleId,
    count,
  }: GetPricingCyclesQuery): Promise<PricingCycle[]> {
    const account = await this.reader.current(tenantId, accountId);
    const schedule =
      account.active.find((s) => s.id === scheduleId) ??
      account.draft?.schedules.find((s) => s.id === scheduleId);
    if (!schedule) throw new NotFound(`schedule ${scheduleId} of account ${accountId} not found`);
    try {
      return pricingCycles(
        schedule.accountScheduleInfo.pricingCycleConfig,
        schedule.startDate,
        schedule.endDate,
        count,
      );
    } catch (error) {
      // A stored config is valid; what is left is a grace period past the representable dates.
      if (error instanceof RangeError) throw new InvalidOperation(error.message);
      throw error;
    }
  }
}
