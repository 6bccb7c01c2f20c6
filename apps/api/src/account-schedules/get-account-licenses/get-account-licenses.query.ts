import { Query } from '@nestjs/cqrs';
import type { AccountLicense } from '@app/domain';
import type { AtVersion } from '../../common/history/as-of';

/** The account's licenses at `asOf` (undefined = now), sorted by licenseId. */
export class GetAccountLicensesQuery extends Query<AtVersion<AccountLicense[]>> {
  constructor(
    readonly tenantId: string,
    readonly accountId: string,
    readonly asOf?: string,
  ) {
    super();
  }
}
