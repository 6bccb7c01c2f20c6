import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, FeedPositionError, type EventStore, type FeedPage } from '@app/event-store';
import { ApiError } from '../../common/errors/api-error';
import { ListEventsQuery } from './list-events.query';

/**
 * Events of the tenant examined per page, at most (those filtered out count). A page that
 * stops there answers hasMore=true with the cursor where it stopped, so no request does
 * unbounded work however sparse the filters are.
 */
export const FEED_SCAN_LIMIT = 10_000;

@QueryHandler(ListEventsQuery)
export class ListEventsHandler implements IQueryHandler<ListEventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ feed }: ListEventsQuery): Promise<FeedPage> {
    try {
      return await this.store.readFeed({ ...feed, scanLimit: FEED_SCAN_LIMIT });
    } catch (err) {
      if (err instanceof FeedPositionError) {
        throw ApiError.validation([
          { field: 'after', message: 'is past the end of the event log' },
        ]);
      }
      throw err;
    }
  }
}
