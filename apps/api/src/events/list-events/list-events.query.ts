import { Query } from '@nestjs/cqrs';
import type { FeedPage, FeedQuery } from '@app/event-store';

export class ListEventsQuery extends Query<FeedPage> {
  constructor(readonly feed: Omit<FeedQuery, 'scanLimit'>) {
    super();
  }
}
