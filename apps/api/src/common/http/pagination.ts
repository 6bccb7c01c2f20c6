import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class PaginationQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class PaginationResponse {
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty() total!: number;
}

export interface ListResponse<T> {
  object: 'list';
  data: T[];
  pagination: PaginationResponse;
}

export const pageOf = (query: PaginationQuery) => ({
  limit: query.limit ?? 50,
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
  query: PaginationQuery,
  present: (item: T) => R = (item) => item as unknown as R,
): ListResponse<R> {
  const page = pageOf(query);
  return listOf(all.slice(page.offset, page.offset + page.limit).map(present), page, all.length);
}
