import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InvalidOperation, NotFound, pricingCycles, type PricingCycle } from '@app/domain';
import { TimeTravel, type AtVersion } from '../../common/history/as-of';
import { AccountScheduleReader } from '../account-schedule.reader';
import { GetPricingCyclesQuery } from './get-pricing-cycles.query';

/** Cycles of the ACTIVE window with that id, else of the DRAFT one, else 404. */
@QueryHandler(GetPricingCyclesQuery)
export class GetPricingCyclesHandler implements IQueryHandler<GetPricingCyclesQuery> {
  constructor(
    private readonly reader: AccountScheduleReader,
    private readonly timeTravel: TimeTravel,
  ) {}

  async execute({
    tenantId,
    accountId,
    scheduleId,
    count,
    asOf,
  }: GetPricingCyclesQuery): Promise<AtVersion<PricingCycle[]>> {
    const account = await this.reader.account(tenantId, accountId, asOf);
    const schedule =
      account.active.find((s) => s.id === scheduleId) ??
      account.draft?.schedules.find((s) => s.id === scheduleId);
    if (!schedule) {
      const past = this.timeTravel.pastInstant(asOf);
      const when = past === undefined ? 'not found' : `did not exist at ${past}`;
      throw new NotFound(`schedule ${scheduleId} of account ${accountId} ${when}`);
    }
    try {
      const data = pricingCycles(
        schedule.accountScheduleInfo.pricingCycleConfig,
        schedule.startDate,
        schedule.endDate,
        count,
      );
      return { version: account.version, data };
    } catch (error) {
      // A stored config is valid; what is left is a grace period past the representable dates.
      if (error instanceof RangeError) throw new InvalidOperation(error.message);
      throw error;
    }
  }
}
