import { Command } from '@nestjs/cqrs';
import type { BillingSchedule, ScheduleInput } from '@app/domain';
import type { CommandMeta } from '../../common/request/request-context';

export class CreateBillingScheduleCommand extends Command<BillingSchedule> {
  constructor(
    readonly input: ScheduleInput,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
