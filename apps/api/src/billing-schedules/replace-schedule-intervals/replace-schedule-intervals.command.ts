import { Command } from '@nestjs/cqrs';
import type { BillingSchedule, IntervalInput } from '@app/domain';
import type { CommandMeta } from '../../common/request/request-context';

export class ReplaceScheduleIntervalsCommand extends Command<BillingSchedule> {
  constructor(
    readonly scheduleId: string,
    readonly intervals: IntervalInput[],
    readonly orderLineItemId: string | undefined,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
