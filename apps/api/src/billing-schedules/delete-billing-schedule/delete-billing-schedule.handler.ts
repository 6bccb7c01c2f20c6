import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { BillingScheduleCommandRunner } from '../billing-schedule-command-runner';
import { DeleteBillingScheduleCommand } from './delete-billing-schedule.command';

@CommandHandler(DeleteBillingScheduleCommand)
export class DeleteBillingScheduleHandler implements ICommandHandler<DeleteBillingScheduleCommand> {
  constructor(private readonly runner: BillingScheduleCommandRunner) {}

  async execute({ scheduleId, meta }: DeleteBillingScheduleCommand): Promise<void> {
    await this.runner.run(scheduleId, { type: 'DeleteBillingSchedule' }, meta);
  }
}
