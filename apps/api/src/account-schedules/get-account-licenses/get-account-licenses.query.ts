import { Query } from '@nestjs/cqrs';
import type { AccountLicense } from '@app/domain';

/** The account's licenses, sorted by licenseId. */
export class GetAccountLicensesQuery extends Query<AccountLicense[]> {
  constructor(
    readonly tenantId: string,
    readonly accountId: string,
  ) {
    super();
  }
}
