import { Query } from '@nestjs/cqrs';
import type { PricingCycle } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';

export class GetPricingCyclesQuery extends Query<AtVersion<PricingCycle[]>> {
  constructor(
    readonly tenantId: string,
    readonly accountId: string,
    readonly scheduleId: string,
    readonly count: number,
    readonly asOf?: string,
  ) {
    super();
  }
}
