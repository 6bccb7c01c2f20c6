import { Command } from '@nestjs/cqrs';
import type { ScheduleInvoice } from '@app/domain';
import type { CommandMeta } from '../../common/request/request-context';

/** Answers the invoices staged by this run. */
export class GenerateScheduleInvoicesCommand extends Command<ScheduleInvoice[]> {
  constructor(
    readonly scheduleId: string,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
