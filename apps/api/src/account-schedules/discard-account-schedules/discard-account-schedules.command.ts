import { Command } from '@nestjs/cqrs';
import type { CommandMeta } from '../../common/request/request-context';

export class DiscardAccountSchedulesCommand extends Command<void> {
  constructor(
    readonly accountId: string,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}
