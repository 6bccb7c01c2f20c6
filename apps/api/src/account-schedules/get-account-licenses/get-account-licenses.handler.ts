import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { AccountLicense } from '@app/domain';
import { AccountScheduleReader } from '../account-schedule.reader';
import { GetAccountLicensesQuery } from './get-account-licenses.query';

@QueryHandler(GetAccountLicensesQuery)
export class GetAccountLicensesHandler implements IQueryHandler<GetAccountLicensesQuery> {
  constructor(private readonly reader: AccountScheduleReader) {}

  async execute({ tenantId, accountId }: GetAccountLicensesQuery): Promise<AccountLicense[]> {
    const { licenses } = await this.reader.current(tenantId, accountId);
    return Object.values(licenses).sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1));
  }
}
