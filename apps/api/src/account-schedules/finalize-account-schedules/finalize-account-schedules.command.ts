import { Command } from '@nestjs/cqrs';
import type { AccountSchedule, PreActionInput } from '@app/domain';
import type { CommandMeta } from '../../common/request/request-context';

/** Answers the resulting ACTIVE timeline. */
export class FinalizeAccountSchedulesCommand extends Command<AccountSchedule[]> {
  constructor(
    readonly accountId: string,
    readonly mergeSchedules: boolean,
    readonly preActions: PreActionInput[],
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
