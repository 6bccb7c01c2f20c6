import type { PricingCycleConfig } from '../pricing-cycles';
import type {
  EditMode,
  LicenseUpdateType,
  PreActionType,
  PricePlanInfo,
  PricingRule,
} from './account-schedules.types';

/**
 * Client input as the API hands it over, after its request schemas (JSON types, enums,
 * lengths, unknown fields). What spans fields or needs the calendar (dates, presence by mode,
 * offsets per interval, duplicate currencies, quantities) is decided here.
 */
export interface AssociationConfigInput {
  pricePlanId: string;
  pricePlanInfo: PricePlanInfo;
  pricingCycleConfig: PricingCycleConfig;
  supportedCurrencies: string[];
  deferredRevenue?: boolean;
  allowOngoingCycleUpdates?: boolean;
  pricingRules?: PricingRule[];
}

export interface EditInput {
  mode: EditMode;
  /** `YYYY-MM-DD`, or an RFC 3339 date-time at exactly midnight UTC. */
  effectiveFrom: string;
  /** Exclusive; absent or null = open-ended. */
  effectiveUntil?: string | null;
  associationConfig?: AssociationConfigInput | null;
}

export interface PreActionInput {
  type: PreActionType;
  config: {
    licenseId: string;
    updateType: LicenseUpdateType;
    /** A non-negative integer, as a number or a digit string. */
    quantity: number | string;
    /** `YYYY-MM-DD` or an RFC 3339 date-time; absent = the finalize time. */
    effectiveFrom?: string | null;
  };
}

export type AccountSchedulesCommand =
  | { type: 'EditAccountSchedules'; edits: EditInput[]; discard?: boolean }
  | { type: 'FinalizeAccountSchedules'; mergeSchedules?: boolean; preActions?: PreActionInput[] }
  | { type: 'DiscardAccountSchedules' };

/** What a decision needs from the outside world, passed in so decide stays pure. */
export interface AccountSchedulesDecisionContext {
  /** The command's time, ISO UTC. */
  now: string;
  /** `sch.` + 24 base62 characters. */
  newId: (prefix: 'sch') => string;
}
