import { Query } from '@nestjs/cqrs';
import type { StoredEvent } from '@app/event-store';

export class ListAccountEventsQuery extends Query<StoredEvent[]> {
  constructor(
    readonly tenantId: string,
    readonly accountId: string,
  ) {
    super();
  }
}
