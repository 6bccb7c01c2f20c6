import { Command } from '@nestjs/cqrs';
import type { CommandMeta } from '../../common/request/request-context';

export class DeleteBillingScheduleCommand extends Command<void> {
  constructor(
    readonly scheduleId: string,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
