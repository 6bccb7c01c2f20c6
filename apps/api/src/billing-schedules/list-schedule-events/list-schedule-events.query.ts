import { Query } from '@nestjs/cqrs';
import type { StoredEvent } from '@app/event-store';
import type { AtVersion } from '../../common/history/as-of';

/** What the schedule answered at `asOf` (undefined = now), with the version it reflects. */
export class ListScheduleEventsQuery extends Query<AtVersion<StoredEvent[]>> {
  constructor(
    readonly tenantId: string,
    readonly scheduleId: string,
    readonly asOf?: string,
  ) {
    super();
  }
}
