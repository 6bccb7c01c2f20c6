import { Query } from '@nestjs/cqrs';
import type { StoredEvent } from '@app/event-store';
import type { AtVersion } from '../../common/history/as-of';

export class ListAccountEventsQuery extends Query<AtVersion<StoredEvent[]>> {
  constructor(
    readonly tenantId: string,
    readonly accountId: string,
    readonly asOf?: string,
  ) {
    super();
  }
}
