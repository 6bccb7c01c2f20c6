import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { BillingSchedule } from '@app/domain';
import { newId } from '../../infrastructure/ids';
import { BillingScheduleCommandRunner } from '../billing-schedule-command-runner';
import { CreateBillingScheduleCommand } from './create-billing-schedule.command';

@CommandHandler(CreateBillingScheduleCommand)
export class CreateBillingScheduleHandler implements ICommandHandler<CreateBillingScheduleCommand> {
  constructor(private readonly runner: BillingScheduleCommandRunner) {}

  async execute({ input, meta }: CreateBillingScheduleCommand): Promise<BillingSchedule> {
    const scheduleId = newId('bs');
    const { schedule } = await this.runner.run(
      scheduleId,
      { type: 'CreateBillingSchedule', scheduleId, merchantId: meta.tenantId, input },
      { ...meta, expectedVersion: 0 },
    );
    return schedule;
  }
}
