import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { AccountSchedule } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';
import { AccountScheduleReader } from '../account-schedule.reader';
import { ListAccountSchedulesQuery } from './list-account-schedules.query';

@QueryHandler(ListAccountSchedulesQuery)
export class ListAccountSchedulesHandler implements IQueryHandler<ListAccountSchedulesQuery> {
  constructor(private readonly reader: AccountScheduleReader) {}

  async execute({
    tenantId,
    accountId,
    mode,
    asOf,
  }: ListAccountSchedulesQuery): Promise<AtVersion<AccountSchedule[]>> {
    const account = await this.reader.account(tenantId, accountId, asOf);
    // Both timelines are kept sorted by startDate.
    const data = mode === 'DRAFT' ? (account.draft?.schedules ?? []) : account.active;
    return { version: account.version, data };
  }
}
