import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { StoredEvent } from '@app/event-store';
import type { AtVersion } from '../../common/history/as-of';
import { BillingScheduleReader } from '../billing-schedule.reader';
import { ListScheduleEventsQuery } from './list-schedule-events.query';

@QueryHandler(ListScheduleEventsQuery)
export class ListScheduleEventsHandler implements IQueryHandler<ListScheduleEventsQuery> {
  constructor(private readonly reader: BillingScheduleReader) {}

  async execute({
    tenantId,
    scheduleId,
    asOf,
  }: ListScheduleEventsQuery): Promise<AtVersion<StoredEvent[]>> {
    const events = await this.reader.events(tenantId, scheduleId, asOf);
    return { version: events.at(-1)?.version ?? 0, data: events };
  }
}
