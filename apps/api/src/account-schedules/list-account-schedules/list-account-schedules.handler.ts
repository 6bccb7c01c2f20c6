import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { AccountSchedule } from '@app/domain';
import { AccountScheduleReader } from '../account-schedule.reader';
import { ListAccountSchedulesQuery } from './list-account-schedules.query';

@QueryHandler(ListAccountSchedulesQuery)
export class ListAccountSchedulesHandler implements IQueryHandler<ListAccountSchedulesQuery> {
  constructor(private readonly reader: AccountScheduleReader) {}

  async execute({
    tenantId,
    accountId,
    mode,
  }: ListAccountSchedulesQuery): Promise<AccountSchedule[]> {
    const account = await this.reader.current(tenantId, accountId);
    // Both timelines are kept sorted by startDate.
    return mode === 'DRAFT' ? (account.draft?.schedules ?? []) : account.active;
  }
}
