import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { StoredEvent } from '@app/event-store';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListScheduleEventsQuery } from './list-schedule-events.query';

@QueryHandler(ListScheduleEventsQuery)
export class ListScheduleEventsHandler implements IQueryHandler<ListScheduleEventsQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  execute({ tenantId, scheduleId }: ListScheduleEventsQuery): Promise<StoredEvent[]> {
    return this.reader.events(tenantId, scheduleId);
  }
}
