import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { AccountLicense } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';
import { AccountScheduleReader } from '../account-schedule.reader';
import { GetAccountLicensesQuery } from './get-account-licenses.query';

@QueryHandler(GetAccountLicensesQuery)
export class GetAccountLicensesHandler implements IQueryHandler<GetAccountLicensesQuery> {
  constructor(private readonly reader: AccountScheduleReader) {}

  async execute({
    tenantId,
    accountId,
    asOf,
  }: GetAccountLicensesQuery): Promise<AtVersion<AccountLicense[]>> {
    const { version, licenses } = await this.reader.account(tenantId, accountId, asOf);
    const data = Object.values(licenses).sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1));
    return { version, data };
  }
}
