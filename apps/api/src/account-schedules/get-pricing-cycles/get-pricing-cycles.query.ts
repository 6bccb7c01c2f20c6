import { Query } from '@nestjs/cqrs';
import type { PricingCycle } from '@app/domain';

export class GetPricingCyclesQuery extends Query<PricingCycle[]> {
  constructor(
    readonly tenantId: string,
    readonly accountId: string,
    readonly scheduleId: string,
    readonly count: number,
  ) {
    super();
  }
}
