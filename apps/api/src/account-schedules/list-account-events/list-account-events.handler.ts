import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { StoredEvent } from '@app/event-store';
import type { AtVersion } from '../../common/history/as-of';
import { AccountScheduleReader } from '../account-schedule.reader';
import { ListAccountEventsQuery } from './list-account-events.query';

@QueryHandler(ListAccountEventsQuery)
export class ListAccountEventsHandler implements IQueryHandler<ListAccountEventsQuery> {
  constructor(private readonly reader: AccountScheduleReader) {}

  async execute({
    tenantId,
    accountId,
    asOf,
  }: ListAccountEventsQuery): Promise<AtVersion<StoredEvent[]>> {
    const events = await this.reader.events(tenantId, accountId, asOf);
    return { version: events.at(-1)?.version ?? 0, data: events };
  }
}
