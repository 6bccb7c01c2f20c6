import type { PricingCycleConfig } from '../pricing-cycles';

/**
 * Shapes of the account-schedules aggregate (Togai model): one price-plan timeline per
 * (tenant, account), edited as a draft and then finalized. Dates are UTC days in the canonical
 * form `YYYY-MM-DDT00:00:00Z`; windows are half-open `[startDate, endDate)`.
 */
export const EDIT_MODES = ['ASSOCIATE', 'DISASSOCIATE'] as const;
export type EditMode = (typeof EDIT_MODES)[number];

export const PRE_ACTION_TYPES = ['GRANT_LICENSE'] as const;
export type PreActionType = (typeof PRE_ACTION_TYPES)[number];

export const LICENSE_UPDATE_TYPES = ['RELATIVE', 'ABSOLUTE'] as const;
export type LicenseUpdateType = (typeof LICENSE_UPDATE_TYPES)[number];

export const PRICING_RULE_TIMINGS = ['IN_ADVANCE', 'IN_ARREARS'] as const;
export const PRICING_RULE_ACTION_TYPES = ['ADD', 'UPDATE'] as const;

/** The end of an open-ended window (an edit without effectiveUntil). */
export const OPEN_ENDED_DATE = '9999-01-01T00:00:00Z';

/** At most this many edits per edit call (SPEC §2). */
export const MAX_EDITS_PER_CALL = 10;

export interface PricePlanInfo {
  name: string;
  description?: string;
}

export interface PricingRuleAction {
  type: (typeof PRICING_RULE_ACTION_TYPES)[number];
  target?: string;
  id?: string;
  description?: string;
  metadata?: Record<string, string>;
}

/** The seed's PricingRule. */
export interface PricingRule {
  id: string;
  name: string;
  version: number;
  invoiceTiming?: (typeof PRICING_RULE_TIMINGS)[number];
  order: number;
  condition?: string;
  computation: string;
  action: PricingRuleAction;
}

/** The seed's ScheduleInfo. */
export interface AccountScheduleInfo {
  supportedCurrencies: string[];
  pricingCycleConfig: PricingCycleConfig;
  pricingRules?: PricingRule[];
}

/** The seed's AccountSchedule: one window of the timeline, field for field. */
export interface AccountSchedule {
  id: string;
  accountId: string;
  pricePlanId: string;
  /** The account's finalize count when this window was last written. */
  version: number;
  deferredRevenue: boolean;
  pricePlanInfo: PricePlanInfo;
  accountScheduleInfo: AccountScheduleInfo;
  isOverridden?: boolean;
  startDate: string;
  endDate: string;
  allowOngoingCycleUpdates: boolean;
}

/** An edit's associationConfig with its defaults applied. */
export interface AssociationConfig {
  pricePlanId: string;
  pricePlanInfo: PricePlanInfo;
  pricingCycleConfig: PricingCycleConfig;
  supportedCurrencies: string[];
  deferredRevenue: boolean;
  allowOngoingCycleUpdates: boolean;
  pricingRules?: PricingRule[];
}

/** One edit as staged: dates canonical, open end filled in. */
export interface AccountScheduleEdit {
  mode: EditMode;
  effectiveFrom: string;
  effectiveUntil: string;
  /** ASSOCIATE only. */
  associationConfig?: AssociationConfig;
  /**
   * ASSOCIATE only: the id of the window the edit inserted into the draft. A merge replays the
   * edit with the same id, so the window keeps its id from draft to ACTIVE.
   */
  scheduleId?: string;
}

export interface AccountLicense {
  licenseId: string;
  quantity: number;
  effectiveFrom: string;
  updatedAt: string;
}

/** A validated GRANT_LICENSE pre-action as applied by a finalize. */
export interface GrantLicense {
  type: 'GRANT_LICENSE';
  config: {
    licenseId: string;
    updateType: LicenseUpdateType;
    quantity: number;
    effectiveFrom?: string;
  };
}
