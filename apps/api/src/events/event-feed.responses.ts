import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import type { EventEnvelope } from '@app/messaging';
import { EventEnvelopeResponseSchema } from '../billing-schedules/billing-schedule.responses';

export const EventFeedResponseSchema = z.object({
  object: z.literal('list'),
  data: z.array(EventEnvelopeResponseSchema),
  nextCursor: z.string().meta({
    description:
      'pass as `after` to continue; always present, also when hasMore is false (resume later to get what was appended since)',
    example: 'ZmVlZDo0Mg',
  }),
  hasMore: z.boolean(),
});

export interface EventFeed {
  object: 'list';
  data: EventEnvelope[];
  nextCursor: string;
  hasMore: boolean;
}
export class EventFeedResponse extends createZodDto(EventFeedResponseSchema) {}
