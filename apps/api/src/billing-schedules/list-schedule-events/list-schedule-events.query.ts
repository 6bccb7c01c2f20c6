import { Query } from '@nestjs/cqrs';
import type { StoredEvent } from '@app/event-store';

export class ListScheduleEventsQuery extends Query<StoredEvent[]> {
  constructor(
    readonly tenantId: string,
    readonly scheduleId: string,
  ) {
    super();
  }
}
