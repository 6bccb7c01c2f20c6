import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { AccountSchedule } from '@app/domain';
import { AccountScheduleCommandRunner } from '../account-schedule-command-runner';
import { FinalizeAccountSchedulesCommand } from './finalize-account-schedules.command';

@CommandHandler(FinalizeAccountSchedulesCommand)
export class FinalizeAccountSchedulesHandler implements ICommandHandler<FinalizeAccountSchedulesCommand> {
  constructor(private readonly runner: AccountScheduleCommandRunner) {}

  async execute(command: FinalizeAccountSchedulesCommand): Promise<AccountSchedule[]> {
    const { state } = await this.runner.run(
      command.accountId,
      {
        type: 'FinalizeAccountSchedules',
        mergeSchedules: command.mergeSchedules,
        preActions: command.preActions,
      },
      command.meta,
    );
    return state.active;
  }
}
