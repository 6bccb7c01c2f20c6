import { Command } from '@nestjs/cqrs';
import type { BillingSchedule, SchedulePatch } from '@app/domain';
import type { CommandMeta } from '../../common/request/request-context';

export class UpdateBillingScheduleCommand extends Command<BillingSchedule> {
  constructor(
    readonly scheduleId: string,
    readonly patch: SchedulePatch,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
