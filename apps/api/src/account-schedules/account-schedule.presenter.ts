import type { AccountSchedule } from '@app/domain';
import type { AccountScheduleResponse } from './account-schedule.responses';

/** The seed's AccountSchedule, field for field, optional fields only when set. */
export function presentAccountSchedule(s: AccountSchedule): AccountScheduleResponse {
  return {
    id: s.id,
    accountId: s.accountId,
    pricePlanId: s.pricePlanId,
    version: s.version,
    deferredRevenue: s.deferredRevenue,
    pricePlanInfo: {
      name: s.pricePlanInfo.name,
      ...(s.pricePlanInfo.description !== undefined
        ? { description: s.pricePlanInfo.description }
        : {}),
    },
    accountScheduleInfo: {
      supportedCurrencies: s.accountScheduleInfo.supportedCurrencies,
      pricingCycleConfig: s.accountScheduleInfo
        .pricingCycleConfig as AccountScheduleResponse['accountScheduleInfo']['pricingCycleConfig'],
      ...(s.accountScheduleInfo.pricingRules
        ? {
            pricingRules: s.accountScheduleInfo
              .pricingRules as AccountScheduleResponse['accountScheduleInfo']['pricingRules'],
          }
        : {}),
    },
    ...(s.isOverridden !== undefined ? { isOverridden: s.isOverridden } : {}),
    startDate: s.startDate,
    endDate: s.endDate,
    allowOngoingCycleUpdates: s.allowOngoingCycleUpdates,
  };
}
