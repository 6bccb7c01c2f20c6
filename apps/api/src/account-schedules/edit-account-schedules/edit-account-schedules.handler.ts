import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { AccountSchedule } from '@app/domain';
import { AccountScheduleCommandRunner } from '../account-schedule-command-runner';
import { EditAccountSchedulesCommand } from './edit-account-schedules.command';

@CommandHandler(EditAccountSchedulesCommand)
export class EditAccountSchedulesHandler implements ICommandHandler<EditAccountSchedulesCommand> {
  constructor(private readonly runner: AccountScheduleCommandRunner) {}

  async execute(command: EditAccountSchedulesCommand): Promise<AccountSchedule[]> {
    const { state } = await this.runner.run(
      command.accountId,
      { type: 'EditAccountSchedules', edits: command.edits, discard: command.discard },
      command.meta,
    );
    return state.draft?.schedules ?? [];
  }
}
