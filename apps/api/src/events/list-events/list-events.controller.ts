import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  ACCOUNT_SCHEDULES_EVENT_TYPES,
  ACCOUNT_SCHEDULES_STREAM_TYPE,
  BILLING_SCHEDULE_EVENT_TYPES,
  BILLING_SCHEDULE_STREAM_TYPE,
  isStrictInstant,
  toCanonicalInstant,
} from '@app/domain';
import { toEnvelope } from '@app/messaging';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { Meta, type CommandMeta } from '../../common/request/request-context';
import { instant, oneOf, queryInteger, text } from '../../common/validation/schemas';
import { EventFeedResponse, type EventFeed } from '../event-feed.responses';
import { decodeFeedCursor, encodeFeedCursor } from '../feed-cursor';
import { FEED_SCAN_LIMIT } from './list-events.handler';
import { ListEventsQuery } from './list-events.query';

export const FEED_MAX_LIMIT = 1000;
export const FEED_DEFAULT_LIMIT = 100;
const EVENT_TYPES = [...BILLING_SCHEDULE_EVENT_TYPES, ...ACCOUNT_SCHEDULES_EVENT_TYPES] as [
  string,
  ...string[],
];
const eventType = () => oneOf(EVENT_TYPES);
/** `from` after `to`; false when either is not an instant (that has its own error). */
const reversed = (from: string, to: string) =>
  isStrictInstant(from) &&
  isStrictInstant(to) &&
  Date.parse(toCanonicalInstant(from)) > Date.parse(toCanonicalInstant(to));

export class ListEventsParams extends createZodDto(
  z
    .object({
      after: text(64)
        .optional()
        .meta({ description: 'a `nextCursor` from an earlier page; absent = from the beginning' }),
      limit: queryInteger(1, FEED_MAX_LIMIT, FEED_DEFAULT_LIMIT),
      type: z
        .union([eventType(), z.array(eventType()).max(EVENT_TYPES.length)])
        .optional()
        .meta({ description: 'only these event types; repeat for several (`type=A&type=B`)' }),
      streamType: oneOf([BILLING_SCHEDULE_STREAM_TYPE, ACCOUNT_SCHEDULES_STREAM_TYPE]).optional(),
      streamId: text(300).optional(),
      from: instant()
        .optional()
        .meta({ description: 'only events whose occurredAt is at or after this instant' }),
      to: instant().optional().meta({
        description:
          'only events whose occurredAt is at or before this instant (what `?asOf` folds)',
      }),
    })
    .refine((q) => !q.from || !q.to || !reversed(q.from, q.to), {
      path: ['to'],
      error: 'must not be before from',
    }),
) {}

@ApiTags('Events')
@Controller('v0/events')
export class ListEventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    operationId: 'listEvents',
    summary: 'The tenant’s events across all streams, in commit order (the feed)',
    description:
      'Each item is the published envelope. Page with `after=<nextCursor>` while `hasMore`; ' +
      'the last page’s `nextCursor` resumes later with exactly the events appended since. ' +
      `A page examines at most ${FEED_SCAN_LIMIT} of the tenant’s events, so with sparse filters a page ` +
      'may hold fewer than `limit` events (even none) and still answer `hasMore: true`.',
  })
  @ApiOkResponse({ type: EventFeedResponse })
  @ApiErrors(400, 401)
  async list(@Query() query: ListEventsParams, @Meta() meta: CommandMeta): Promise<EventFeed> {
    const after = query.after === undefined ? 0 : decodeFeedCursor(query.after);
    const types = query.type === undefined ? undefined : [query.type].flat();
    const page = await this.queries.execute(
      new ListEventsQuery({
        tenantId: meta.tenantId,
        after,
        limit: query.limit ?? FEED_DEFAULT_LIMIT,
        types,
        streamType: query.streamType,
        streamId: query.streamId,
        from: query.from && toCanonicalInstant(query.from),
        to: query.to && toCanonicalInstant(query.to),
      }),
    );
    return {
      object: 'list',
      data: page.events.map(toEnvelope),
      nextCursor: encodeFeedCursor(page.nextAfter),
      hasMore: page.hasMore,
    };
  }
}
