import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccountScheduleCommandRunner } from '../account-schedule-command-runner';
import { DiscardAccountSchedulesCommand } from './discard-account-schedules.command';

@CommandHandler(DiscardAccountSchedulesCommand)
export class DiscardAccountSchedulesHandler implements ICommandHandler<DiscardAccountSchedulesCommand> {
  constructor(private readonly runner: AccountScheduleCommandRunner) {}

  async execute(command: DiscardAccountSchedulesCommand): Promise<void> {
    await this.runner.run(command.accountId, { type: 'DiscardAccountSchedules' }, command.meta);
  }
}
