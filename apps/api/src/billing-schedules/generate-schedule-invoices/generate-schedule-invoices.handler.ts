import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ScheduleInvoice, ScheduleInvoicesGeneratedV1 } from '@app/domain';
import { BillingScheduleCommandRunner } from '../billing-schedule-command-runner';
import { GenerateScheduleInvoicesCommand } from './generate-schedule-invoices.command';

@CommandHandler(GenerateScheduleInvoicesCommand)
export class GenerateScheduleInvoicesHandler implements ICommandHandler<GenerateScheduleInvoicesCommand> {
  constructor(private readonly runner: BillingScheduleCommandRunner) {}

  async execute({ scheduleId, meta }: GenerateScheduleInvoicesCommand): Promise<ScheduleInvoice[]> {
    const { events } = await this.runner.run(
      scheduleId,
      { type: 'GenerateScheduleInvoices' },
      meta,
    );
    return events.flatMap((event) => (event.data as ScheduleInvoicesGeneratedV1).invoices ?? []);
  }
}
