import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { queryInteger } from '../validation/schemas';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

/** `/v0` list parameters (SPEC §2): limit 1–100 (default 50), offset ≥ 0. */
export const PaginationQuerySchema = z.object({
  limit: queryInteger(1, MAX_LIMIT, DEFAULT_LIMIT),
  offset: queryInteger(0, undefined, 0),
});

export class PaginationQuery extends createZodDto(PaginationQuerySchema) {}

export const PaginationSchema = z
  .object({
    limit: z.number().int().min(1).max(MAX_LIMIT),
    offset: z.number().int().min(0),
    total: z.number().int().min(0),
  })
  .meta({ id: 'Pagination' });

/** The `/v0` list envelope around `item`. */
export const listSchema = <T extends z.ZodType>(item: T) =>
  z.object({ object: z.literal('list'), data: z.array(item), pagination: PaginationSchema });

export interface ListResponse<T> {
  object: 'list';
  data: T[];
  pagination: z.infer<typeof PaginationSchema>;
}

export const pageOf = (query: { limit?: number; offset?: number }) => ({
  limit: query.limit ?? DEFAULT_LIMIT,
  offset: query.offset ?? 0,
});

export function listOf<T>(
  data: T[],
  page: { limit: number; offset: number },
  total: number,
): ListResponse<T> {
  return { object: 'list', data, pagination: { ...page, total } };
}

/**
 * Pages an in-memory list (intervals, invoices, events of one schedule); `present` maps only
 * the items of the page, so the work per request follows the page, not the list.
 */
export function paginate<T, R = T>(
  all: readonly T[],
  query: { limit?: number; offset?: number },
  present: (item: T) => R = (item) => item as unknown as R,
): ListResponse<R> {
  const page = pageOf(query);
  return listOf(all.slice(page.offset, page.offset + page.limit).map(present), page, all.length);
}
