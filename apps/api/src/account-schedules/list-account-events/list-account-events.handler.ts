import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { StoredEvent } from '@app/event-store';
import { AccountScheduleReader } from '../account-schedule.reader';
import { ListAccountEventsQuery } from './list-account-events.query';

@QueryHandler(ListAccountEventsQuery)
export class ListAccountEventsHandler implements IQueryHandler<ListAccountEventsQuery> {
  constructor(private readonly reader: AccountScheduleReader) {}

  execute({ tenantId, accountId }: ListAccountEventsQuery): Promise<StoredEvent[]> {
    return this.reader.events(tenantId, accountId);
  }
}
