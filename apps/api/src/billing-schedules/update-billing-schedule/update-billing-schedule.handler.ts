import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { BillingSchedule } from '@app/domain';
import { BillingScheduleCommandRunner } from '../billing-schedule-command-runner';
import { UpdateBillingScheduleCommand } from './update-billing-schedule.command';

@CommandHandler(UpdateBillingScheduleCommand)
export class UpdateBillingScheduleHandler implements ICommandHandler<UpdateBillingScheduleCommand> {
  constructor(private readonly runner: BillingScheduleCommandRunner) {}

  async execute({
    scheduleId,
    patch,
    meta,
  }: UpdateBillingScheduleCommand): Promise<BillingSchedule> {
    const { schedule } = await this.runner.run(
      scheduleId,
      { type: 'UpdateBillingSchedule', patch },
      meta,
    );
    return schedule;
  }
}
