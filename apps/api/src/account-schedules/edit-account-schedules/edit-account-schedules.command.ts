import { Command } from '@nestjs/cqrs';
import type { AccountSchedule, EditInput } from '@app/domain';
import type { CommandMeta } from '../../common/request/request-context';

/** Answers the resulting draft windows. */
export class EditAccountSchedulesCommand extends Command<AccountSchedule[]> {
  constructor(
    readonly accountId: string,
    readonly edits: EditInput[],
    readonly discard: boolean,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
