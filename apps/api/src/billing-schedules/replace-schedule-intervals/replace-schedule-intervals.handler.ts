import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { BillingSchedule } from '@app/domain';
import { BillingScheduleCommandRunner } from '../billing-schedule-command-runner';
import { ReplaceScheduleIntervalsCommand } from './replace-schedule-intervals.command';

@CommandHandler(ReplaceScheduleIntervalsCommand)
export class ReplaceScheduleIntervalsHandler implements ICommandHandler<ReplaceScheduleIntervalsCommand> {
  constructor(private readonly runner: BillingScheduleCommandRunner) {}

  async execute(command: ReplaceScheduleIntervalsCommand): Promise<BillingSchedule> {
    const { schedule } = await this.runner.run(
      command.scheduleId,
      {
        type: 'ReplaceScheduleIntervals',
        intervals: command.intervals,
        orderLineItemId: command.orderLineItemId,
      },
      command.meta,
    );
    return schedule;
  }
}
